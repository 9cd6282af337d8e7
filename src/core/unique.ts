// Check-then-insert of a name that must be unique (venues, staff, sections, tiers): the check
// gives the domain's answer (already_exists, or the existing row to use); the unique index on the
// name's key (src/db/fold.ts) is the rule that makes it correct when terminals race. On SQLite the
// single writer runs the check and the insert with no one in between, so the index never refuses.
// On PostgreSQL (READ COMMITTED) two transactions can both pass the check; the second insert waits
// for the first to commit and is then refused (23505). That transaction is rolled back and run
// once more: its check now sees the winner's row and answers as the sequential path does. A
// violation that survives the re-run is not a race, and surfaces.
import type { DB } from '../db/connection.js';
import type { WriteOptions } from '../db/dialect.js';
import { isUniqueViolation, writeTransaction, type Trx } from '../db/transaction.js';

export async function writeUnique<T>(db: DB, work: (trx: Trx) => Promise<T>, options?: WriteOptions): Promise<T> {
  try {
    return await writeTransaction(db, work, options);
  } catch (err) {
    if (!isUniqueViolation(err, db)) throw err;
    return writeTransaction(db, work, options);
  }
}
