// PostgreSQL's side of the seam (../dialect.ts): many terminals on many computers, one server.
// Loaded only when --db/BOXOFFICE_DB is a postgres:// URL (../connection.ts imports this module
// lazily, and this module imports `pg` lazily), so a SQLite command never pays for the client.
//
// What is here: opening a pg Pool under Kysely's PostgresDialect (the URL and connection
// failures: ./pg-connect.ts), numbers parsed as numbers, the schema migrations (../migrations-pg),
// one attempt at a write transaction (../transaction.ts retries it), and the helpers of the seam.
// The rules that keep each write correct with many writers at once are in the core, at their
// sites, and listed in docs/postgres.md.
import type { Pool as PgPool, PoolConfig } from 'pg';
import type { Kysely as KyselyType, QueryResult, RawBuilder } from 'kysely';
import { DummyDriver, Kysely, Migrator, PostgresAdapter, PostgresDialect, PostgresIntrospector, PostgresQueryCompiler, sql } from '../kysely.js';
import type { CarriesDialect, GroupConcatOptions, LockableTable, RowLock, SqlDialect, WriteOptions } from '../dialect.js';
import type { DB, OpenDatabase, OpenOptions } from '../connection.js';
import { DatabaseMissingError, DatabasePermissionError, DatabaseUnreachableError } from '../errors.js';
import { postgresMigrationProvider, postgresMigrations } from '../migrations-pg/index.js';
import type { Database } from '../schema.js';
import { displayTarget, urlProblem } from '../target.js';
import { connectFailure, NO_TLS_MESSAGE, pgConnection, PgUrlProblem, withoutTls, type PgConnection } from './pg-connect.js';
import type { Queryable, Trx } from '../transaction.js';

// SQLSTATE codes (PostgreSQL's appendix A).
const UNIQUE_VIOLATION = '23505';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const INSUFFICIENT_PRIVILEGE = '42501';
const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

let builder: KyselyType<Database> | undefined;

// Spelled out rather than interpolated, so that only these four strengths can reach the SQL.
const ROW_LOCKS: Record<RowLock, string> = { update: 'update', 'no key update': 'no key update', share: 'share', 'key share': 'key share' };

/**
 * After a commit, the feed is numbered (best effort) so that it stays fresh without a follower,
 * and a reader of the outbox that does not number it first (an operator's SQL, a test looking
 * behind the tool's back) sees what one terminal after another wrote, numbered in order. Readers
 * of the feed number it themselves before they read (numberFeed), so a failure here loses
 * nothing: the change has committed, and it is reported as such.
 */
async function numberFeedAfterCommit(db: DB): Promise<void> {
  try {
    await postgresDialect.numberFeed(db);
  } catch {
    // The next reader numbers it.
  }
}

const postgresDialect: SqlDialect = {
  name: 'postgres',

  // One attempt; ../transaction.ts runs it again for 40001/40P01 (isRetryable) and for a conflict
  // the core detected (TransactionConflict), up to writeAttempts times in all.
  async writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    // READ COMMITTED (PostgreSQL's default) unless asked: correctness then comes from row
    // locks, conditional updates whose row counts are checked, and constraints, each said
    // where the core relies on it. SERIALIZABLE is for the few checks nothing else can cover.
    // Named, never the server's default: a database set to REPEATABLE READ by default would
    // count from a snapshot taken before a lock was granted (and oversell GA).
    const tx = db.transaction().setIsolationLevel(options.serializable ? 'serializable' : 'read committed');
    const result = await tx.execute(work);
    await numberFeedAfterCommit(db);
    return result;
  },
  writeAttempts: 8,

  // REPEATABLE READ READ ONLY: every read sees the snapshot taken at the first one. It lives on
  // one connection of the pool, which is why the reads go through `snapshot`.
  readSnapshot<T>(db: DB, work: (snapshot: Queryable) => Promise<T>): Promise<T> {
    return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
  },

  async lockRow(trx: Trx, table: LockableTable, id: number, mode: RowLock) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where id = ${id} for ${sql.raw(ROW_LOCKS[mode])}`.execute(trx);
    return rows[0];
  },

  isUniqueViolation: (err) => codeOf(err) === UNIQUE_VIOLATION,
  isRetryable: (err) => codeOf(err) === SERIALIZATION_FAILURE || codeOf(err) === DEADLOCK_DETECTED,

  insertedId(result: QueryResult<{ id?: number }>): number {
    const id = result.rows[0]?.id;
    if (id === undefined) throw new Error("internal: an insert without .returning('id')");
    return Number(id);
  },

  // `presorted` changes nothing here: string_agg keeps no promise about the order of its input.
  groupConcat(expr: RawBuilder<unknown>, separator: string, orderBy?: RawBuilder<unknown>, options: GroupConcatOptions = {}) {
    const value = sql`(${expr})::text`;
    // With DISTINCT, PostgreSQL orders only by the aggregated value itself.
    if (options.distinct) return orderBy ? sql<string | null>`string_agg(distinct ${value}, ${separator} order by ${value})` : sql<string | null>`string_agg(distinct ${value}, ${separator})`;
    return orderBy ? sql<string | null>`string_agg(${value}, ${separator} order by ${orderBy})` : sql<string | null>`string_agg(${value}, ${separator})`;
  },
  // "C" orders UTF-8 text by bytes, which is code point order, as SQLite's BINARY does.
  byBytes: (expr) => sql<string>`(${expr}) collate "C"`,
  jsonQuote: (expr) => sql<string>`to_json((${expr})::text)::text`,
  // lower() alone follows the server's locale (under C it folds ASCII only); ICU's root locale
  // lowers as JavaScript's toLowerCase() does. "und-x-icu" exists on every server built with ICU.
  fold: (expr) => sql<string>`lower(normalize((${expr})::text, NFC) collate "und-x-icu")`,

  async serverClockOffset(db: Queryable): Promise<number> {
    // The server's clock read halfway through the round trip; of a few tries, the fastest round
    // trip says the most (its midpoint can be wrong by at most half of it).
    let best: { rtt: number; offset: number } | undefined;
    for (let i = 0; i < 3; i++) {
      const sent = Date.now();
      const { rows } = await sql<{ ms: number }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`.execute(db);
      const received = Date.now();
      const rtt = received - sent;
      if (!best || rtt < best.rtt) best = { rtt, offset: Number(rows[0].ms) - (sent + received) / 2 };
    }
    // Whole milliseconds: a fractional offset makes instants fractional, and adding a duration to
    // one can then round across a millisecond (a 15-minute hold lasting 899,999 ms).
    return Math.round(best!.offset);
  },

  async lockForTransaction(trx: Trx, key: string, mode: 'shared' | 'exclusive'): Promise<void> {
    // hashtextextended: a 64-bit key from the name; two names that collide only wait for each other.
    if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`.execute(trx);
    else await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  },

  // One statement, so its own short transaction: the advisory lock inside is held only while
  // the pending rows are numbered. It runs at READ COMMITTED, which every connection of ours
  // defaults to whatever the server's default is (openPostgres): the function reads the pending
  // rows and max(seq) after it is granted the sequencer's lock, which at REPEATABLE READ or
  // SERIALIZABLE would be from a snapshot taken before, so it would renumber rows another
  // sequencer just numbered (a raw 40001 for `log` and `sync export`).
  async numberFeed(db: DB): Promise<void> {
    await sql`select boxoffice_number_feed()`.execute(db);
  },

  // clock_timestamp(), not now(): inside a transaction now() is when it began.
  async wallClock(db: Queryable): Promise<Date> {
    const { rows } = await sql<{ t: Date }>`select clock_timestamp() as t`.execute(db);
    return new Date(rows[0].t);
  },

  queryBuilder() {
    builder ??= new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    return builder;
  },
};

/** Kysely's PostgreSQL adapter, carrying the seam so that dialectOf(db) finds it. */
class BoxofficePostgresAdapter extends PostgresAdapter implements CarriesDialect {
  readonly boxofficeDialect = postgresDialect;
}

class PostgresDialectWithSeam extends PostgresDialect {
  override createAdapter() {
    return new BoxofficePostgresAdapter();
  }
}

// Type OIDs (pg_type): int8 (count(*), sum() of integers, bigint ids) and numeric (sum() of
// bigints, avg()). node-postgres returns both as strings, so that no value loses precision; the
// core counts and adds integers far below 2^53, and would compare "3" with 3. A value that does
// not fit is an error, never a silently wrong number.
const INT8_OID = 20;
const NUMERIC_OID = 1700;

function exactNumber(text: string): number {
  const n = Number(text);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) throw new RangeError(`a database number does not fit in JavaScript: ${text}`);
  return n;
}

/**
 * Opens a pool on the database at `url` and brings its schema up to date. With `create` (init),
 * an empty database gets the schema; without, a database with no boxoffice schema is missing.
 */
export async function openPostgres(url: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const shown = displayTarget(url);
  const problem = urlProblem(url);
  if (problem) throw new DatabaseUnreachableError(`cannot connect to ${shown}: ${problem}`, 'write the URL as postgres://user:password@host:port/database', 'url');
  let connection: PgConnection;
  try {
    connection = pgConnection(url, process.env);
  } catch (err) {
    if (err instanceof PgUrlProblem)
      throw new DatabaseUnreachableError(`cannot connect to ${shown}: ${err.message}`, 'see https://www.postgresql.org/docs/current/libpq-ssl.html for the ssl settings of a URL', 'url');
    throw err;
  }
  const [{ default: pg }, { default: Cursor }] = await Promise.all([import('pg'), import('pg-cursor')]);
  const timeoutMs = options.busyTimeoutMs ?? 15_000;
  const poolFor = (c: PgConnection): PgPool => {
    const pool = new pg.Pool({
      connectionString: c.connectionString,
      // A terminal runs one command at a time: a few connections cover a snapshot read beside a write.
      max: 4,
      connectionTimeoutMillis: timeoutMs,
      application_name: 'boxoffice',
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID || oid === NUMERIC_OID ? exactNumber : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
      },
    } satisfies PoolConfig);
    // An idle client whose server went away must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    // Statements outside an explicit transaction (the feed's numbering, reads) run at READ
    // COMMITTED even on a server whose default is stricter; transactions name their level anyway.
    // A session setting rather than a startup option, which connection poolers may refuse. The
    // client queues it before any query of ours.
    pool.on('connect', (client) => {
      client.query("set default_transaction_isolation = 'read committed'").catch(() => {});
    });
    return pool;
  };
  let pool = poolFor(connection);
  try {
    try {
      (await pool.connect()).release();
    } catch (err) {
      // sslmode=prefer on a server without TLS: a plain connection, as libpq makes (pg-connect.ts).
      if (!(connection.plainIfNoTls && (err as Error).message === NO_TLS_MESSAGE)) throw err;
      await pool.end().catch(() => {});
      connection = withoutTls(connection);
      pool = poolFor(connection);
      (await pool.connect()).release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    const { reason, hint } = connectFailure(err, connection, timeoutMs);
    throw new DatabaseUnreachableError(`cannot connect to ${shown}: ${reason}`, hint, (err as { code?: string }).code === '3D000' ? 'no_such_database' : 'server');
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialectWithSeam({ pool, cursor: Cursor }) });
  try {
    const created = await migrate(db, shown, options.create === true);
    // Whether a command's change committed is not tracked here yet: answering "saved" makes a stop
    // wait for the command's outcome rather than claim that nothing was saved.
    return { db, dialect: postgresDialect, file: shown, created, saved: () => true, forgetSaves: () => {}, close: () => db.destroy() };
  } catch (err) {
    await db.destroy();
    if (codeOf(err) === INSUFFICIENT_PRIVILEGE) throw new DatabasePermissionError(shown, (err as Error).message);
    throw err;
  }
}

const SCHEMA_VERSION = Object.keys(postgresMigrations).length;

/** Applies pending migrations; true when the schema was made now. */
async function migrate(db: DB, shown: string, create: boolean): Promise<boolean> {
  // Cheap queries spare every command the migrator's own ones when nothing is pending.
  const { rows } = await sql<{ name: string | null }>`select to_regclass('kysely_migration')::text as name`.execute(db);
  let applied: number | null = null;
  if (rows[0]?.name) {
    const count = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
    applied = count.rows[0].n;
  }
  if (applied === SCHEMA_VERSION) return false;
  if (applied === null && !create) throw new DatabaseMissingError(shown);
  // Kysely's migrator takes a transaction-scoped advisory lock on PostgreSQL: two terminals
  // running `init` at once apply each migration once.
  const { error, results } = await new Migrator({ db, provider: postgresMigrationProvider }).migrateToLatest();
  if (error) {
    // The user may not create or change the tables (SQLSTATE 42501): a set-up step, said so.
    if (codeOf(error) === INSUFFICIENT_PRIVILEGE) throw new DatabasePermissionError(shown, (error as Error).message);
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? '(before the first)'} failed: ${String(error)}`);
  }
  // Made now by this process: another `init` at the same moment may have applied it while this
  // one waited for the migrator's lock (then nothing ran here).
  const first = Object.keys(postgresMigrations)[0];
  return applied === null && (results ?? []).some((r) => r.migrationName === first && r.status === 'Success');
}
