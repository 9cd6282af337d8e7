// The one rule for names that differ only by case, the same on SQLite and PostgreSQL: two names
// are the same name when their keys are equal, and the key is computed here, in JavaScript, and
// stored in a `*_key` column with a unique index (see migrations-pg/0001-schema.ts and
// docs/postgres.md). Neither database's own folding is used: SQLite's NOCASE folds ASCII only
// (`venue show "sala évora"` did not find "Sala Évora"), PostgreSQL's lower() depends on the
// server's locale, and a nondeterministic ICU collation cannot be used with LIKE.
//
// NFC first, so that an "É" typed as E + combining accent and one typed as a single character
// are the same name; then Unicode's locale-independent lower case (what the core's JavaScript
// comparisons of section and tier names already use).
export function foldKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Two names are the same name: the comparison the core makes in JavaScript, by the same rule. */
export function sameName(a: string, b: string): boolean {
  return foldKey(a) === foldKey(b);
}
