// Transactions as the core asks for them; each dialect (dialect.ts) decides how to make them safe.
import type { Selectable, Transaction } from 'kysely';
import type { DB } from './connection.js';
import { dialectOf, type LockableTable, type RowLock, type WriteOptions } from './dialect.js';
import type { Database } from './schema.js';

import { DatabaseBusyError, TransactionConflict } from './errors.js';

export { DatabaseBusyError, TransactionConflict };

export type Trx = Transaction<Database>;
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = DB | Trx;

/**
 * Runs `work` in one write transaction: either everything it wrote commits, or nothing does.
 * On SQLite it holds the write lock from its first statement (BEGIN IMMEDIATE, see driver.ts).
 *
 * This is the one retry loop: `work` runs again, in a new transaction, when the database asks for
 * it (SqlDialect.isRetryable: SQLITE_BUSY, 40001, 40P01), when the work itself met a
 * TransactionConflict, and, with `rerunOnUniqueViolation`, after a unique violation. So `work`
 * must be safe to run again: no side effects outside `trx`. Bounded (the dialect's
 * writeAttempts), with full jitter; after the last attempt a conflict's domain answer is thrown,
 * and anything else retried becomes a DatabaseBusyError (nothing was changed), never the raw
 * database error.
 *
 * Called with an open transaction (`db` is a `trx`, as when a service runs inside another's
 * transaction: the demo data), `work` joins it: it runs once, in that transaction, and what it
 * throws goes to the outer writeTransaction, whose loop runs the whole transaction again. Its
 * `options` are then the outer's (an inner SERIALIZABLE asks for nothing).
 */
export async function writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  const dialect = dialectOf(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialect.writeTransaction(db, work, options);
    } catch (err) {
      const conflict = err instanceof TransactionConflict;
      if (!conflict && !dialect.isRetryable(err) && !(options.rerunOnUniqueViolation && dialect.isUniqueViolation(err))) throw err;
      if (attempt >= dialect.writeAttempts) throw conflict ? err.exhausted : new DatabaseBusyError(attempt, err);
      // Exponential backoff with full jitter: two transactions that collided should not collide
      // again on the next try.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

/** Takes the lock called `key` until the transaction ends (PostgreSQL); nothing on SQLite. See SqlDialect. */
export function lockForTransaction(trx: Trx, key: string, mode: 'shared' | 'exclusive'): Promise<void> {
  return dialectOf(trx).lockForTransaction(trx, key, mode);
}

/**
 * Runs reads that must agree with each other (counts and the list they count) from one snapshot,
 * whatever other processes write meanwhile. Reads only, and through `snapshot` (on PostgreSQL the
 * snapshot belongs to one pooled connection; on SQLite `snapshot` is `db`).
 */
export function readSnapshot<T>(db: DB, work: (snapshot: Queryable) => Promise<T>): Promise<T> {
  return dialectOf(db).readSnapshot(db, work);
}

/** A unique or primary key refused the write (on the dialect `db` runs on). */
export function isUniqueViolation(err: unknown, db: Queryable): boolean {
  return dialectOf(db).isUniqueViolation(err);
}

/**
 * Locks a row until the transaction ends (PostgreSQL `select … for <mode>`) and returns it as it is
 * now; on SQLite runs nothing and returns undefined, as its single writer already serializes: use
 * `(await lockRow(trx, 'orders', order.id)) ?? order`.
 */
export async function lockRow<T extends LockableTable>(trx: Trx, table: T, id: number, mode: RowLock = 'update'): Promise<Selectable<Database[T]> | undefined> {
  return (await dialectOf(trx).lockRow(trx, table, id, mode)) as Selectable<Database[T]> | undefined;
}

class Rehearsal<T> extends Error {
  constructor(readonly result: T) {
    super('rehearsal rolled back');
  }
}

/**
 * Runs `work` exactly as `writeTransaction` would, then rolls everything back: a `--dry-run`
 * that tells the exact outcome because it is the real code path, minus the commit.
 */
export async function rehearseTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>): Promise<T> {
  // Inside another transaction the work would join it (writeTransaction) and stay when it ends.
  if (db.isTransaction) throw new Error('internal: a rehearsal cannot run inside another transaction');
  try {
    await writeTransaction(db, async (trx) => {
      throw new Rehearsal(await work(trx));
    });
  } catch (err) {
    if (err instanceof Rehearsal) return err.result as T;
    throw err;
  }
  throw new Error('unreachable');
}
