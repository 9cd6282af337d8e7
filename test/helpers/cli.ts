// Runs the real built binary against a fresh database file in a temporary directory.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
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
  return prepareBox(sandbox(env));
}

/** Sets up `box` as preparedSandbox describes, with its own names for the venue, its city and zone, and the event. */
export function prepareBox<B extends ReturnType<typeof sandbox>>(
  box: B,
  { venue = 'Main Hall', city = 'Lisbon', timezone = 'Europe/Lisbon', event = 'Gala' }: { venue?: string; city?: string; timezone?: string; event?: string } = {},
): B {
  const steps = [
    ['init'],
    ['venue', 'add', venue, '--city', city, '--timezone', timezone],
    ['venue', 'seatmap', 'generate', venue, '--section', 'Stalls', '--rows', 'A-J', '--seats', '1-20'],
    ['venue', 'seatmap', 'generate', venue, '--section', 'Floor', '--capacity', '50'],
    ['event', 'add', event, '--venue', venue, '--starts', '2027-03-01T20:00'],
    ['event', 'price', event, '--tier', 'Adult', '--price', '25.00'],
    ['event', 'price', event, '--tier', 'Child', '--price', '12.50'],
    ['event', 'publish', event],
  ];
  for (const args of steps) {
    const r = box.run(args);
    if (r.code !== 0) throw new Error(`setup step ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  }
  return box;
}

/** How a process started by `startNode` ended, and all it wrote. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `node …args` in the background with only PATH and `env`. `stdin`: text written to it and
 * closed; `'open'`: a pipe the test writes to later (a write after the process ended is ignored);
 * else none.
 */
export function startNode(args: string[], env: Record<string, string>, stdin?: string | 'open'): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (stdin !== undefined) {
    child.stdin!.on('error', () => {});
    if (stdin !== 'open') child.stdin!.end(stdin);
  }
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
