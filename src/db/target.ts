// What --db / BOXOFFICE_DB names: a SQLite file (the default) or a PostgreSQL server by URL.
// Kept free of any driver import: every command asks this before it opens anything.

/** `postgres://` or `postgresql://` (SPEC "Storage"); anything else is a file path. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

/**
 * The URL as it may be shown: the password (if any) replaced by `****` (as `config` masks the SMTP URL's), so that no message, log or
 * `--json` output ever carries it (SPEC: a password in the URL is never printed). A file path is
 * returned as it is. A URL too broken to parse is shown without anything between `//` and `@`.
 */
export function displayTarget(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return target.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/i, '$1****@');
  }
}
