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

/** Why a file is not one of our databases. */
export type NotADatabaseReason = 'empty' | 'folder' | 'not_sqlite' | 'foreign';

/** `file` exists but is not a boxoffice database; it was left as it was. */
export class NotADatabaseError extends Error {
  constructor(
    readonly file: string,
    readonly reason: NotADatabaseReason,
  ) {
    super(`${file} is not a boxoffice database`);
  }
}

/** The PostgreSQL user may not create or change boxoffice's tables in that database. */
export class DatabasePermissionError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Thrown inside a write transaction when a concurrent one changed what it read (a conditional
 * update found no row to change, a claimed key was taken meanwhile, a Z report closed while a
 * payment was being dated): writeTransaction (transaction.ts) runs the whole transaction again,
 * which then sees the winner's commit and answers from it, with a fresh time. After the last
 * attempt `exhausted` (a domain error) reaches the caller instead.
 */
export class TransactionConflict extends Error {
  constructor(readonly exhausted: Error) {
    super(`a concurrent change: ${exhausted.message}`);
  }
}
