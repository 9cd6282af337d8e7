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

export interface WriteOptions {
  /**
   * PostgreSQL only (SQLite's single writer is already serial): run at SERIALIZABLE and retry
   * serialization failures, for the few checks no row lock or constraint can make safe.
   */
  serializable?: boolean;
}

export interface SqlDialect {
  readonly name: DialectName;

  /**
   * One write transaction, retried as a whole (bounded, with jitter) when the database asks for
   * it: SQLITE_BUSY that outlived busy_timeout; PostgreSQL's serialization failure (40001) or
   * deadlock (40P01). `work` must therefore be safe to run again: no side effects outside `trx`.
   */
  writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>, options?: WriteOptions): Promise<T>;

  /**
   * Reads that must agree with each other, all from one snapshot: SQLite's read transaction on
   * its one connection; PostgreSQL's REPEATABLE READ READ ONLY transaction, which exists only
   * on the connection it was opened on, so the reads must go through `snapshot`.
   */
  readSnapshot<T>(db: DB, work: (snapshot: Queryable) => Promise<T>): Promise<T>;

  /** The database refused a write because a unique or primary key already holds the value. */
  isUniqueViolation(err: unknown): boolean;
  /** A failure that running the whole transaction again can cure (see writeTransaction). */
  isRetryable(err: unknown): boolean;

  /**
   * The id of the row an insert made. Write the insert with `.returning('id')` (both dialects
   * support RETURNING; SQLite since 3.35) and pass its result: SQLite's lastInsertRowid exists
   * on SQLite only.
   */
  insertedId(result: QueryResult<{ id?: number }>): number;

  /** `group_concat` / `string_agg`: the values of `expr` joined by `separator`, in `orderBy` order. */
  groupConcat(expr: RawBuilder<unknown>, separator: string, orderBy?: RawBuilder<unknown>): RawBuilder<string | null>;
  /** A text value as a JSON string literal (`json_quote` / `to_json(...)::text`). */
  jsonQuote(expr: RawBuilder<unknown>): RawBuilder<string>;
  /**
   * `expr` folded as foldKey() (fold.ts) folds, for text that has no `*_key` column (free-text
   * search): compare it with a folded needle. SQLite calls foldKey() itself; PostgreSQL uses ICU's
   * locale-independent lower case after NFC, which is the same Unicode mapping.
   */
  fold(expr: RawBuilder<unknown>): RawBuilder<string>;

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
