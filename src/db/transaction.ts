import type { Transaction } from 'kysely';
import type { DB } from './connection.js';
import { sql } from './kysely.js';
import type { Database } from './schema.js';

export type Trx = Transaction<Database>;
/** Anything that runs queries: the database or an open transaction. */
export type Queryable = DB | Trx;

/**
 * Runs `work` in one write transaction that holds SQLite's write lock from its first statement
 * (BEGIN IMMEDIATE, see driver.ts): either everything it wrote commits, or nothing does.
 */
export async function writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      // busy_timeout already waited; a BUSY that still escapes is retried a few times before it
      // reaches the user, since the work was rolled back and is safe to run again.
      if (attempt < 5 && isBusy(err)) continue;
      throw err;
    }
  }
}

/**
 * Runs reads that must agree with each other (counts and the list they count) in one read
 * transaction: in WAL mode every one of them sees the same commit, whatever other processes
 * write meanwhile. Reads only: a write transaction cannot start inside it.
 */
export async function readSnapshot<T>(db: DB, work: () => Promise<T>): Promise<T> {
  await sql`begin`.execute(db);
  try {
    return await work();
  } finally {
    await sql`commit`.execute(db);
  }
}

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
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
