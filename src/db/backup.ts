// Online backup through SQLite's backup API: a consistent copy while other terminals keep selling.
// PostgreSQL has its own tool for that (SPEC: `backup` there exits 2 and names pg_dump).
import Sqlite from 'better-sqlite3';
import type { OpenDatabase, SqliteDatabase } from './connection.js';
import { DialectUnsupportedError } from './errors.js';

/**
 * Copies the open database into `dest` (an empty file the caller made) and checks the copy; the
 * result of SQLite's integrity check, `ok` for a good copy.
 */
export async function copyDatabase(handle: OpenDatabase, dest: string): Promise<string> {
  if (handle.dialect.name !== 'sqlite') {
    throw new DialectUnsupportedError('boxoffice backup copies a SQLite file; back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f box.dump DBNAME)');
  }
  const { sqlite } = handle as SqliteDatabase;
  await sqlite.backup(dest);
  const copy = new Sqlite(dest);
  try {
    // A backup is one self-contained file to carry away: no -wal or -shm beside it.
    copy.pragma('journal_mode = DELETE');
    return copy.pragma('integrity_check', { simple: true }) as string;
  } finally {
    copy.close();
  }
}
