// Runs the real built binary against a fresh database file in a temporary directory.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newTestDatabase } from './db.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'boxoffice');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: any;
}

export function tempDir(prefix = 'boxoffice-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A fresh database in its own directory, and a function that runs the CLI against it. `db` is
 * what BOXOFFICE_DB takes: a file in `dir` (not made yet: `init` makes it), or in the "postgres"
 * project a new empty PostgreSQL database's URL (test/helpers/db.ts).
 */
export function sandbox(env: Record<string, string> = {}) {
  const dir = tempDir();
  const database = newTestDatabase(dir);
  const db = database.target;
  const baseEnv: Record<string, string> = { ...env };
  const run = (args: string[], extraEnv: Record<string, string> = {}): CliResult => {
    const res: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, BOXOFFICE_DB: db, ...baseEnv, ...extraEnv },
      input: '',
    });
    let json: any;
    try {
      json = JSON.parse(res.stdout);
    } catch {
      json = undefined;
    }
    return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, json };
  };
  return {
    dir,
    db,
    run,
    cleanup: () => {
      database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database with one venue (Stalls A-J × 1-20, Floor GA 50), one event on sale (Adult 25, Child 12.50, limit 10). */
export function preparedSandbox(env: Record<string, string> = {}) {
  const box = sandbox(env);
  const steps = [
    ['init'],
    ['venue', 'add', 'Main Hall', '--city', 'Lisbon', '--timezone', 'Europe/Lisbon'],
    ['venue', 'seatmap', 'generate', 'Main Hall', '--section', 'Stalls', '--rows', 'A-J', '--seats', '1-20'],
    ['venue', 'seatmap', 'generate', 'Main Hall', '--section', 'Floor', '--capacity', '50'],
    ['event', 'add', 'Gala', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00'],
    ['event', 'price', 'Gala', '--tier', 'Adult', '--price', '25.00'],
    ['event', 'price', 'Gala', '--tier', 'Child', '--price', '12.50'],
    ['event', 'publish', 'Gala'],
  ];
  for (const args of steps) {
    const r = box.run(args);
    if (r.code !== 0) throw new Error(`setup step ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  }
  return box;
}
