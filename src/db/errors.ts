// Failures of opening a database that the commands turn into the user's answer (exit codes).

export class DatabaseMissingError extends Error {
  constructor(readonly file: string) {
    super(`no database at ${file}`);
  }
}

/** The database named is PostgreSQL, and this command cannot run there (yet). */
export class DialectUnsupportedError extends Error {}

/** Connecting failed: the message names the server (never its password) and what went wrong. */
export class DatabaseUnreachableError extends Error {}
