// Opening the database file: pragmas, private file mode, and migrations. Everything specific to
// SQLite lives in src/db so the core can later run on PostgreSQL unchanged.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Kysely as KyselyDatabase } from 'kysely';
import { Kysely, Migrator } from './kysely.js';
import { ImmediateSqliteDialect } from './driver.js';
import { migrations, staticMigrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type DB = KyselyDatabase<Database>;

export interface OpenOptions {
  /** Create the file if it does not exist (only `init` does; other commands need an existing file). */
  create?: boolean;
  /** How long a writer waits for another process's write lock before giving up. */
  busyTimeoutMs?: number;
}

export interface OpenDatabase {
  db: DB;
  sqlite: Sqlite.Database;
  file: string;
  created: boolean;
  /** Whether anything written through this handle since it was opened has committed (or is committing). */
  saved(): boolean;
  close(): Promise<void>;
}

export class DatabaseMissingError extends Error {
  constructor(readonly file: string) {
    super(`no database at ${file}`);
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
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  let created = false;
  const found = resolved === ':memory:' ? 'ours' : inspect(resolved);
  if (found === 'missing') {
    if (!options.create) throw new DatabaseMissingError(resolved);
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    // Create the file ourselves so it is private from the first byte; SQLite gives the WAL and
    // shared-memory files the same mode as the database.
    fs.closeSync(fs.openSync(resolved, 'wx', 0o600));
    created = true;
  } else if (found === 'blank') {
    // An empty file becomes a database only when asked to (init), and then a private one.
    if (!options.create) throw new NotADatabaseError(resolved, 'empty');
    fs.chmodSync(resolved, 0o600);
    created = true;
  } else if (found !== 'ours') {
    throw new NotADatabaseError(resolved, found);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
  const sqlite = new Sqlite(resolved, { timeout: busyTimeoutMs });
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged sale survives a power cut, not only a crash of the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  let saves = 0;
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite, busyTimeoutMs, () => saves++) });
  const handle: OpenDatabase = { db, sqlite, file: resolved, created, saved: () => saves > 0, close: () => db.destroy() };
  try {
    await migrate(handle);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // Migrations are the opening's own business, not the command's.
  saves = 0;
  return handle;
}

const SCHEMA_VERSION = Object.keys(migrations).length;

async function migrate({ db, sqlite }: OpenDatabase): Promise<void> {
  // user_version is a cheap check that spares every command the migrator's own queries.
  if (sqlite.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return;
  const { error, results } = await new Migrator({ db, provider: staticMigrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  sqlite.pragma(`user_version = ${SCHEMA_VERSION}`);
}
