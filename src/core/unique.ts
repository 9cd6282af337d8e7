// Check-then-insert of a name that must be unique (venues, staff, sections, tiers): the check
// gives the domain's answer (already_exists, or the existing row to use); the unique index on the
// name's key (src/db/fold.ts) is the rule that makes it correct when terminals race. On SQLite the
// single writer runs the check and the insert with no one in between, so the index never refuses.
// On PostgreSQL (READ COMMITTED) two transactions can both pass the check; the second insert waits
// for the first to commit and is then refused (23505). That transaction is rolled back and run
// again by writeTransaction's one retry loop (bounded, with jitter): its check now sees the
// winner's row and answers as the sequential path does. A violation that outlives every attempt
// is a DatabaseBusyError (database_busy), never the raw one.
import type { DB } from '../db/connection.js';
import type { WriteOptions } from '../db/dialect.js';
import { writeTransaction, type Trx } from '../db/transaction.js';

export function writeUnique<T>(db: DB, work: (trx: Trx) => Promise<T>, options?: WriteOptions): Promise<T> {
  return writeTransaction(db, work, { ...options, rerunOnUniqueViolation: true });
}
