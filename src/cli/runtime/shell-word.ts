// Words of a command we tell someone to run (a hint to retry, to init): a file name with spaces
// or quotes in it must still paste into a shell as one word.

/** `text` as one POSIX shell word: as it is when that is safe, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
