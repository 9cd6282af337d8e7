// Online backup through SQLite's backup API: a consistent copy while other terminals keep selling.
// PostgreSQL has its own tool for that (SPEC: `backup` there exits 2 and names pg_dump).
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { OpenDatabase, SqliteDatabase } from './connection.js';
import { DialectUnsupportedError } from './errors.js';

export class BackupTargetError extends Error {}

export interface BackupResult {
  file: string;
  bytes: number;
  integrity: string;
}

/** Copies the open database to `dest` (mode 0600) and checks the copy's integrity. */
export async function backupDatabase(handle: OpenDatabase, dest: string): Promise<BackupResult> {
  if (handle.dialect.name !== 'sqlite') {
    throw new DialectUnsupportedError('boxoffice backup copies a SQLite file; back up a PostgreSQL database with pg_dump (e.g. pg_dump -Fc -f box.dump DBNAME)');
  }
  const { sqlite } = handle as SqliteDatabase;
  const file = path.resolve(dest);
  // A folder that is not there (a USB stick not mounted) must not quietly become a local one.
  if (!fs.existsSync(path.dirname(file)) || !fs.statSync(path.dirname(file)).isDirectory()) {
    throw new BackupTargetError(`cannot back up to ${dest}: the folder ${path.dirname(file)} does not exist`);
  }
  // Created private before SQLite writes a byte; the backup API then fills it in.
  fs.closeSync(fs.openSync(file, 'w', 0o600));
  fs.chmodSync(file, 0o600);
  await sqlite.backup(file);
  const copy = new Sqlite(file);
  try {
    // A backup is one self-contained file to carry away: no -wal or -shm beside it.
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true }) as string;
    return { file, bytes: fs.statSync(file).size, integrity };
  } finally {
    copy.close();
  }
}
