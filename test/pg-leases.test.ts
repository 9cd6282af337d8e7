// Leases and counts that many processes on one PostgreSQL database contend for, with real
// processes (docs/postgres.md): a sync consumer is exported by one exporter at a time; a queued
// mail is sent once however many processes retry it; a burst of wrong PINs from many processes
// gets no more free attempts than the back-off allows.
//
// Runs the compiled code (npm run build first).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string>, stdin?: string): { child: ReturnType<typeof spawn>; done: Promise<Exit> } {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (stdin !== undefined) child.stdin!.end(stdin);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** A database made by `init`, and the environment that points the CLI at it. */
async function initialised() {
  expect(fs.existsSync(path.join(ROOT, 'dist/core/sync/exporter.js')), 'run `npm run build` first').toBe(true);
  const database: PostgresDatabase = await freshPostgresDatabase();
  cleanups.push(() => database.drop());
  const box = sandbox({ BOXOFFICE_DB: database.url });
  cleanups.push(() => box.cleanup());
  const init = box.run(['init']);
  expect(init.code, init.stderr).toBe(0);
  return { database, box, env: { HOME: box.dir, BOXOFFICE_DB: database.url } };
}

/**
 * A start line for processes racing for one row: the test holds the row locked (`for update`)
 * until `count` sessions of the database wait on a lock, i.e. every process has read and is about
 * to write, then lets them all go at once.
 */
async function holdRowUntilWaiting(database: PostgresDatabase, lockSql: string, values: unknown[], count: number, started: Promise<Exit>[]): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('begin');
    const locked = await client.query(lockSql, values);
    expect(locked.rowCount, 'the row to hold').toBe(1);
    const exitedEarly = Promise.race(started).then((e) => e);
    let early: Exit | undefined;
    void exitedEarly.then((e) => (early = e));
    for (;;) {
      // pg_stat_activity is read as of the start of a transaction, hence a clear snapshot each time.
      await client.query('select pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
      );
      if (Number(rows[0].n) >= count) break;
      if (early) throw new Error(`a racer finished before the start line: ${JSON.stringify(early)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query('rollback');
  } finally {
    await client.end();
  }
}

describe.runIf(hasPostgres)(`leases on PostgreSQL${postgresNote}`, () => {
  it('exporters of one consumer started at once: exactly one exports, every other exits 4 (consumer_busy)', async () => {
    const { database, box, env } = await initialised();
    // The consumer exists (its first export made it); its row is what the exporters race for.
    expect(box.run(['sync', 'export', '--consumer', 'crm', '--to', path.join(box.dir, 'first.ndjson')]).code).toBe(0);
    const RACERS = 4;
    const racers = Array.from({ length: RACERS }, (_, i) =>
      start([BIN, '--json', 'sync', 'export', '--consumer', 'crm', '--follow', '--interval', '50', '--to', path.join(box.dir, `racer${i}.ndjson`)], env),
    );
    for (const r of racers) cleanups.push(() => void r.child.kill('SIGKILL'));
    await holdRowUntilWaiting(database, 'select * from sync_consumers where name = $1 for update', ['crm'], RACERS, racers.map((r) => r.done));

    // Every loser exits 4 on its own; the winner follows until stopped.
    const settled = await new Promise<Exit[]>((resolve) => {
      const exits: Exit[] = [];
      for (const r of racers)
        void r.done.then((e) => {
          exits.push(e);
          if (exits.length === RACERS - 1) resolve(exits);
        });
    });
    for (const e of settled) {
      expect(e.code, e.stderr).toBe(4);
      // Refused at the start, not taken and then lost (which an unconditional take would give).
      expect(JSON.parse(e.stderr).error).toMatchObject({ code: 'consumer_busy', message: expect.stringContaining('is being exported by another process') });
    }
    const winner = racers.find((r) => r.child.exitCode === null && r.child.signalCode === null)!;
    expect(winner, 'one exporter still running').toBeDefined();
    const status = box.run(['--json', 'sync', 'status', '--consumer', 'crm']);
    expect(status.json[0].exporter).toContain(`pid ${winner.child.pid} on `);
    winner.child.kill('SIGINT');
    expect((await winner.done).code).toBe(130);
    expect(box.run(['--json', 'sync', 'status', '--consumer', 'crm']).json[0].exporter).toBeNull();
  }, 120_000);
});
