// Online backup through SQLite's backup API: a consistent copy while other terminals keep selling.
import Sqlite from 'better-sqlite3';
import type { OpenDatabase } from './connection.js';

/**
 * Copies the open database into `dest` (an empty file the caller made) and checks the copy; the
 * result of SQLite's integrity check, `ok` for a good copy.
 */
export async function copyDatabase(handle: OpenDatabase, dest: string): Promise<string> {
  await handle.sqlite.backup(dest);
  const copy = new Sqlite(dest);
  try {
    // A backup is one self-contained file to carry away: no -wal or -shm beside it.
    copy.pragma('journal_mode = DELETE');
    return copy.pragma('integrity_check', { simple: true }) as string;
  } finally {
    copy.close();
  }
}
