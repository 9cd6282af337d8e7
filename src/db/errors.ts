// Failures of opening a database that the commands turn into the user's answer (exit codes).

export class DatabaseMissingError extends Error {
  constructor(readonly file: string) {
    super(`no database at ${file}`);
  }
}

/** The database named is PostgreSQL, and this command cannot run there (yet). */
export class DialectUnsupportedError extends Error {}

/**
 * Connecting failed: the message names the server (never its password) and what went wrong; the
 * hint, what to check first.
 */
export class DatabaseUnreachableError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** What the user has to mend: the server or network, the URL itself, or the database's name (no such database). */
    readonly fault: 'server' | 'url' | 'no_such_database' = 'server',
  ) {
    super(message);
  }
}

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

/**
 * A write transaction failed on every attempt (writeTransaction, transaction.ts) with what only
 * concurrent writers cause: serialization failures, deadlocks, SQLITE_BUSY, or a unique violation
 * a re-run was meant to resolve. Each attempt rolled back, so nothing was changed. The message is
 * what a user may read; the database's own error is the `cause`. The fronts answer it as the
 * domain error `database_busy` (src/core/errors.ts, exit 4), never as the raw error.
 */
export class DatabaseBusyError extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`the database was too busy with other terminals' changes to the same data to finish this (tried ${attempts} times); nothing was changed`, { cause });
  }
}
