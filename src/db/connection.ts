// Opening the database the user named: a SQLite file (dialects/sqlite.ts, the default) or, given a
// postgres:// URL, a PostgreSQL server (dialects/postgres.ts, loaded only then: a SQLite command
// never loads the PostgreSQL client). Both come back as the same OpenDatabase, and everything
// that differs between them lives in src/db, behind the seam in dialect.ts.
import type Sqlite from 'better-sqlite3';
import type { Kysely as KyselyDatabase } from 'kysely';
import type { SqlDialect } from './dialect.js';
import { openSqlite } from './dialects/sqlite.js';
import type { Database } from './schema.js';
import { displayTarget, isPostgresUrl } from './target.js';

export { DatabaseMissingError, DatabasePermissionError, DatabaseUnreachableError, NotADatabaseError, type NotADatabaseReason } from './errors.js';

export type DB = KyselyDatabase<Database>;

export interface OpenOptions {
  /** Make the database if there is none yet: the SQLite file, or boxoffice's tables in the PostgreSQL database (only `init` asks; other commands need an existing one). */
  create?: boolean;
  /** SQLite: how long a writer waits for another process's write lock before giving up. PostgreSQL: how long connecting may take. */
  busyTimeoutMs?: number;
}

export interface OpenDatabase {
  db: DB;
  dialect: SqlDialect;
  /** What to show for it: the file's absolute path, or the URL without its password. */
  file: string;
  /** SQLite: the file was made now. PostgreSQL: the schema was made now. */
  created: boolean;
  /**
   * SQLite: whether anything written through this handle since it was opened has committed (or is
   * committing). PostgreSQL does not track it yet and always answers true (a stop then waits for the
   * command's outcome rather than claim that nothing was saved).
   */
  saved(): boolean;
  /** Forgets what was committed so far (the opening's and the login's own writes are not the command's). */
  forgetSaves(): void;
  close(): Promise<void>;
}

/** A SQLite database: its better-sqlite3 connection too (backup, and tests that look behind the core). */
export interface SqliteDatabase extends OpenDatabase {
  sqlite: Sqlite.Database;
}

/** Opens (and if asked, creates) the database, bringing its schema up to date. */
export async function openDatabase(target: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  if (isPostgresUrl(target)) {
    const { openPostgres } = await import('./dialects/postgres.js');
    return openPostgres(target, options);
  }
  return openSqlite(target, options);
}

export { displayTarget, isPostgresUrl };
