// SQLite's side of the seam (../dialect.ts): the default, one file shared by the processes of one
// computer. Correctness rests on its single writer: a write transaction takes the write lock up
// front (BEGIN IMMEDIATE, ../driver.ts), so every check-then-write in the core is serial.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Kysely as KyselyType, QueryResult, RawBuilder } from 'kysely';
import { DummyDriver, Kysely, Migrator, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from '../kysely.js';
import { ImmediateSqliteDialect } from '../driver.js';
import { foldKey } from '../fold.js';
import { migrations, staticMigrationProvider } from '../migrations/index.js';
import type { CarriesDialect, GroupConcatOptions, SqlDialect } from '../dialect.js';
import type { DB, OpenOptions, SqliteDatabase } from '../connection.js';
import { DatabaseMissingError, NotADatabaseError, TransactionConflict, type NotADatabaseReason } from '../errors.js';
import type { Database } from '../schema.js';
import type { Queryable, Trx } from '../transaction.js';

const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

let builder: KyselyType<Database> | undefined;

const sqliteDialect: SqlDialect = {
  name: 'sqlite',

  // One attempt; ../transaction.ts runs it again for a SQLITE_BUSY that outlived busy_timeout
  // (isRetryable), up to writeAttempts times in all, since the work was rolled back.
  async writeTransaction<T>(db: DB, work: (trx: Trx) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      // Cannot happen under one writer; should it, the caller's domain answer is the truth.
      if (err instanceof TransactionConflict) throw err.exhausted;
      throw err;
    }
  },
  writeAttempts: 5,

  // In WAL mode every read of one read transaction sees the same commit, whatever other processes
  // write meanwhile. The database has one connection, held for the whole snapshot
  // (db.connection()): another query of this process — a hold made at the terminal while its seat
  // map reloads — waits for the snapshot's end instead of landing inside its read transaction,
  // where a BEGIN IMMEDIATE fails. So the reads must go through `snapshot`, as on PostgreSQL: one
  // through `db` would wait for the connection the snapshot holds.
  readSnapshot<T>(db: DB, work: (snapshot: Queryable) => Promise<T>): Promise<T> {
    return db.connection().execute(async (connection) => {
      await sql`begin`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`commit`.execute(connection);
      }
    });
  },

  // BEGIN IMMEDIATE already serializes writers: no lock statement is needed (or possible).
  lockRow: async () => undefined,

  isUniqueViolation: (err) => SQLITE_UNIQUE.has(codeOf(err) as string),
  isRetryable: (err) => SQLITE_BUSY.has(codeOf(err) as string),

  insertedId(result: QueryResult<{ id?: number }>): number {
    const id = result.rows[0]?.id ?? (result.insertId === undefined ? undefined : Number(result.insertId));
    if (id === undefined) throw new Error('internal: an insert returned no id');
    return Number(id);
  },

  groupConcat(expr: RawBuilder<unknown>, separator: string, orderBy?: RawBuilder<unknown>, options: GroupConcatOptions = {}) {
    if (options.distinct) {
      // SQLite: "DISTINCT aggregates must have exactly one argument" (the separator is then ',').
      if (separator !== ',' || (orderBy && !options.presorted)) throw new Error("internal: SQLite's group_concat(distinct …) takes no separator but ',' and no order");
      return sql<string | null>`group_concat(distinct ${expr})`;
    }
    // Presorted input: group_concat keeps the order the rows come in (see the interface).
    return orderBy && !options.presorted ? sql<string | null>`group_concat(${expr}, ${separator} order by ${orderBy})` : sql<string | null>`group_concat(${expr}, ${separator})`;
  },
  byBytes: (expr) => expr as RawBuilder<string>,
  jsonQuote: (expr) => sql<string>`json_quote(${expr})`,
  fold: (expr) => sql<string>`boxoffice_fold(${expr})`,

  serverClockOffset: async () => null,
  lockForTransaction: async () => {},
  // AUTOINCREMENT under one writer is already gap-free (a rollback takes its numbers back) and
  // in commit order.
  numberFeed: async () => {},
  wallClock: async () => new Date(),

  queryBuilder() {
    // Compiles only; never connects.
    builder ??= new Kysely<Database>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
    return builder;
  },
};

/** Kysely's SQLite adapter, carrying the seam so that dialectOf(db) finds it. */
class BoxofficeSqliteAdapter extends SqliteAdapter implements CarriesDialect {
  readonly boxofficeDialect = sqliteDialect;
}

class SqliteDialectWithSeam extends ImmediateSqliteDialect {
  override createAdapter() {
    return new BoxofficeSqliteAdapter();
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
// Kysely's Migrator keeps its table under this name (its default, which migrate() keeps).
const MIGRATIONS_TABLE = 'kysely_migration';

/**
 * What lies at `file`, judged before SQLite opens it: SQLite takes an empty file for an empty
 * database and writes to it, and opening any file in WAL mode makes files beside it. Ours is a
 * SQLite file whose user_version we set (see migrate), or one whose migrations were begun.
 */
function inspect(file: string): 'missing' | 'ours' | 'blank' | Exclude<NotADatabaseReason, 'empty'> {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 'missing';
  if (stat.isDirectory()) return 'folder';
  if (stat.size === 0) return 'blank';
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < header.length || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return 'not_sqlite';
  if (header.readUInt32BE(60) !== 0) return 'ours';
  // user_version 0: a database whose first migration was cut short, a newer header still in the
  // write-ahead log, an empty database, or another program's. Its tables tell (read-only: this
  // changes nothing in a file that is not ours).
  const probe = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = probe.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    if (tables.length === 0) return 'blank';
    return tables.includes(MIGRATIONS_TABLE) ? 'ours' : 'foreign';
  } finally {
    probe.close();
  }
}

/** Opens (and if asked, creates) the database file, applies pragmas and pending migrations. */
export async function openSqlite(file: string, options: OpenOptions = {}): Promise<SqliteDatabase> {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  let found = resolved === ':memory:' ? 'ours' : inspect(resolved);
  if (found === 'missing') {
    if (!options.create) throw new DatabaseMissingError(resolved);
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    try {
      // Create the file ourselves so it is private from the first byte; SQLite gives the WAL and
      // shared-memory files the same mode as the database.
      fs.closeSync(fs.openSync(resolved, 'wx', 0o600));
      found = 'blank';
    } catch (err) {
      // Another process (a second `init` at the same moment) made it since we looked: look again.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      found = inspect(resolved);
    }
  }
  if (found === 'blank') {
    // An empty file becomes a database only when asked to (init), and then a private one.
    if (!options.create) throw new NotADatabaseError(resolved, 'empty');
    fs.chmodSync(resolved, 0o600);
  } else if (found === 'missing') {
    // Made by another process and removed again (its init failed) since we looked.
    throw new DatabaseMissingError(resolved);
  } else if (found !== 'ours') {
    throw new NotADatabaseError(resolved, found);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
  const sqlite = new Sqlite(resolved, { timeout: busyTimeoutMs });
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged sale survives a power cut, not only a crash of the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // foldKey() as SQL, for the 0008-name-keys backfill and folded free-text search (dialect.fold).
  sqlite.function('boxoffice_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldKey(text) : text));
  let saves = 0;
  const db = new Kysely<Database>({ dialect: new SqliteDialectWithSeam(sqlite, busyTimeoutMs, () => saves++) });
  let created: boolean;
  try {
    // Made now: by this process, which applied the first migration (another `init` at the same
    // moment may have made the file, or be making the schema while this one waits).
    created = (await migrate(db, sqlite)) === 'from scratch';
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const handle = { db, sqlite, dialect: sqliteDialect, file: resolved, created, saved: () => saves > 0, forgetSaves: () => void (saves = 0), close: () => db.destroy() };
  // Migrations are the opening's own business, not the command's.
  handle.forgetSaves();
  return handle;
}

const SCHEMA_VERSION = Object.keys(migrations).length;

/**
 * Applies pending migrations. Several processes may open one new or old file at once (`init` at
 * three terminals): the write lock, taken before the version is read again, lets one migrate
 * while the others wait and then find it done (Kysely's migrator takes no lock on SQLite). Every
 * migration and the new version commit together, or none does.
 */
async function migrate(db: DB, sqlite: Sqlite.Database): Promise<'up to date' | 'from scratch' | 'upgraded'> {
  // user_version is a cheap check that spares every command the migrator's own queries.
  if (sqlite.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return 'up to date';
  sqlite.exec('begin immediate');
  try {
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) {
      sqlite.exec('commit');
      return 'up to date';
    }
    const fresh = version === 0 && !sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(MIGRATIONS_TABLE);
    // The migrator runs on the same connection, so inside this transaction.
    const { error, results } = await new Migrator({ db, provider: staticMigrationProvider }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error');
      throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
    }
    sqlite.pragma(`user_version = ${SCHEMA_VERSION}`);
    sqlite.exec('commit');
    return fresh ? 'from scratch' : 'upgraded';
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    throw err;
  }
}
