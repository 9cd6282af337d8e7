// The seam between the core and the database it runs on: the few things SQLite and PostgreSQL
// do differently, one module per dialect (dialects/sqlite.ts, dialects/postgres.ts), in the
// manner of Kysely's own src/dialect/* adapters. The core never writes SQL that one dialect
// lacks: it calls writeTransaction()/readSnapshot() (transaction.ts) and the functions here.
// docs/postgres.md says what each dialect does and what the core still has to move behind it.
import type { Kysely, QueryResult, RawBuilder } from 'kysely';
import type { Database } from './schema.js';
import type { DB } from './connection.js';
import type { Queryable, Trx } from './transaction.js';

export type DialectName = 'sqlite' | 'postgres';

/** PostgreSQL's row-level lock strengths (`select … for <mode>`), weakest last. */
export type RowLock = 'update' | 'no key update' | 'share' | 'key share';
/** Tables whose rows the core locks by id. */
export type LockableTable = 'orders' | 'events' | 'sections' | 'tickets' | 'staff';

export interface WriteOptions {
  /**
   * PostgreSQL only (SQLite's single writer is already serial): run at SERIALIZABLE and retry
   * serialization failures, for the few checks no row lock or constraint can make safe.
   */
  serializable?: boolean;
  /**
   * A unique violation is a race the work's own check answers once it sees the winner's row
   * (src/core/unique.ts): the transaction is run again, like a serialization failure.
   */
  rerunOnUniqueViolation?: boolean;
}

export interface GroupConcatOptions {
  distinct?: boolean;
  presorted?: boolean;
}

export interface SqlDialect {
  readonly name: DialectName;

  /**
   * One attempt at a write transaction: everything `work` wrote commits, or nothing does. The one
   * retry loop around it is transaction.ts's writeTransaction, which runs it again (bounded, with
   * jitter) when isRetryable() says so, or for a TransactionConflict.
   */
  writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** How many times a write transaction is tried in all before its last failure reaches the caller. */
  readonly writeAttempts: number;

  /**
   * Reads that must agree with each other, all from one snapshot: SQLite's read transaction on
   * its one connection; PostgreSQL's REPEATABLE READ READ ONLY transaction, which exists only
   * on the connection it was opened on, so the reads must go through `snapshot`.
   */
  readSnapshot<T>(db: DB, work: (snapshot: Queryable) => Promise<T>): Promise<T>;

  /**
   * Locks one row until the transaction ends and returns it as it is now (committed by anyone
   * before the lock was granted), on PostgreSQL: `select * … for <mode>`. On SQLite it runs no
   * statement and returns undefined: the write lock BEGIN IMMEDIATE took already serializes
   * every writer, so the row the caller read is current.
   */
  lockRow(trx: Trx, table: LockableTable, id: number, mode: RowLock): Promise<Record<string, unknown> | undefined>;

  /** The database refused a write because a unique or primary key already holds the value. */
  isUniqueViolation(err: unknown): boolean;
  /**
   * A failure that running the whole transaction again can cure (see writeTransaction):
   * SQLITE_BUSY that outlived busy_timeout; PostgreSQL's serialization failure (40001) or
   * deadlock (40P01).
   */
  isRetryable(err: unknown): boolean;

  /**
   * The id of the row an insert made. Write the insert with `.returning('id')` (both dialects
   * support RETURNING; SQLite since 3.35) and pass its result: SQLite's lastInsertRowid exists
   * on SQLite only.
   */
  insertedId(result: QueryResult<{ id?: number }>): number;

  /**
   * `group_concat` / `string_agg`: the values of `expr` as text, joined by `separator`, in
   * `orderBy` order. `distinct`: each value once (SQLite allows it only with the separator ',' and
   * no orderBy). `presorted`: the rows come from a subquery already sorted by `orderBy` within each
   * group; SQLite concatenates in the order rows come, so it skips a second sort (megabytes of text
   * for a stadium), while PostgreSQL promises no such order and sorts.
   */
  groupConcat(expr: RawBuilder<unknown>, separator: string, orderBy?: RawBuilder<unknown>, options?: GroupConcatOptions): RawBuilder<string | null>;
  /**
   * Text that sorts and compares byte by byte (code point order), as SQLite's default BINARY
   * collation does, whatever collation the PostgreSQL database was created with (en_US and the
   * like sort "b" before "C" and skip punctuation): for every ORDER BY of text that output shows.
   */
  byBytes(expr: RawBuilder<unknown>): RawBuilder<string>;
  /** A text value as a JSON string literal (`json_quote` / `to_json(...)::text`). */
  jsonQuote(expr: RawBuilder<unknown>): RawBuilder<string>;
  /**
   * `expr` folded as foldKey() (fold.ts) folds, for text that has no `*_key` column (free-text
   * search): compare it with a folded needle. SQLite calls foldKey() itself; PostgreSQL uses ICU's
   * locale-independent lower case after NFC, which is the same Unicode mapping.
   */
  fold(expr: RawBuilder<unknown>): RawBuilder<string>;

  /**
   * Milliseconds to add to this computer's clock (Date.now()) to read the database's, measured
   * now; or null when the database has no clock of its own. PostgreSQL: the server's
   * clock_timestamp(), read at the midpoint of the round trip (the fastest of a few). SQLite:
   * null, the file lives on this computer and its clock is this computer's.
   */
  serverClockOffset(db: Queryable): Promise<number | null>;

  /**
   * Takes the lock called `key` for the rest of the transaction: PostgreSQL's transaction-level
   * advisory lock, `shared` ones held together, an `exclusive` one alone (released at commit or
   * rollback). SQLite: nothing, and no statement: its one writer already serializes every write
   * transaction.
   */
  lockForTransaction(trx: Trx, key: string, mode: 'shared' | 'exclusive'): Promise<void>;

  /**
   * Numbers the feed's committed events that are not numbered yet, so that a reader of the outbox
   * by `seq` sees every event it will ever see below the highest number it reads. SQLite numbers
   * at insert (its single writer commits in that order): nothing to do, no statement run.
   * PostgreSQL: boxoffice_number_feed() (migrations-pg/0002-feed-sequence.ts), in a READ COMMITTED
   * transaction of its own, so `db` must be the database, never an open transaction.
   */
  numberFeed(db: DB): Promise<void>;

  /**
   * The time by the clock every terminal shares, for leases among running processes: the
   * computer's own on SQLite (one computer holds the file; no statement is run), the database
   * server's on PostgreSQL (terminals on many computers, whose clocks differ). Never moved by
   * BOXOFFICE_NOW: it says which processes are running now.
   */
  wallClock(db: Queryable): Promise<Date>;

  /** Builds queries for this dialect without connecting (src/db/prepared.ts compiles with it). */
  queryBuilder(): Kysely<Database>;
}

/** Carried by each dialect's Kysely adapter, so that any `db` or `trx` leads to its dialect. */
export interface CarriesDialect {
  readonly boxofficeDialect: SqlDialect;
}

/**
 * The dialect `db` (a database or an open transaction) runs on. Kysely hands every Transaction
 * the executor of the Kysely it came from, and the executor its dialect's adapter, which is ours
 * (see ImmediateSqliteDialect and dialects/postgres.ts). getExecutor() is marked internal in
 * Kysely's types but has been there, unchanged, since 0.1: test/db-dialect.test.ts covers it.
 */
export function dialectOf(db: Queryable): SqlDialect {
  const adapter = (db as unknown as { getExecutor(): { adapter: Partial<CarriesDialect> } }).getExecutor().adapter;
  if (!adapter.boxofficeDialect) throw new Error('internal: a database opened without a boxoffice dialect');
  return adapter.boxofficeDialect;
}
