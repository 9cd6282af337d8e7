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
  close(): Promise<void>;
}

export class DatabaseMissingError extends Error {
  constructor(readonly file: string) {
    super(`no database at ${file}`);
  }
}

/** Opens (and if asked, creates) the database file, applies pragmas and pending migrations. */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  let created = false;
  if (resolved !== ':memory:' && !fs.existsSync(resolved)) {
    if (!options.create) throw new DatabaseMissingError(resolved);
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    // Create the file ourselves so it is private from the first byte; SQLite gives the WAL and
    // shared-memory files the same mode as the database.
    fs.closeSync(fs.openSync(resolved, 'wx', 0o600));
    created = true;
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 15_000;
  const sqlite = new Sqlite(resolved, { timeout: busyTimeoutMs });
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged sale survives a power cut, not only a crash of the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite, busyTimeoutMs) });
  const handle: OpenDatabase = { db, sqlite, file: resolved, created, close: () => db.destroy() };
  try {
    await migrate(handle);
  } catch (err) {
    await db.destroy();
    throw err;
  }
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
