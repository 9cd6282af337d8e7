// Leases and counts that many processes on one PostgreSQL database contend for, with real
// processes (docs/postgres.md): a sync consumer is exported by one exporter at a time; a queued
// mail is sent once however many processes retry it; a burst of wrong PINs from many processes
// gets no more free attempts than the back-off allows.
//
// Runs the compiled code (npm run build first).
import { cliOnFreshDatabase } from './helpers/pg-seed.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, startNode, type Exit } from './helpers/cli.js';
import { hasPostgres, holdLock, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { startSmtp } from './helpers/smtp.js';
import { openDatabase } from '../src/db/connection.js';
import { queueMail } from '../src/core/mail/queue.js';
import { systemClock } from '../src/core/clock.js';
import { SINGLE_USER } from '../src/core/staff/permissions.js';
import { FREE_ATTEMPTS } from '../src/core/staff/pin-guard.js';

const PIN_CHECKER = path.join(ROOT, 'test', 'workers', 'pin-checker.mjs');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A database made by `init`, and the environment that points the CLI at it. */
async function initialised() {
  const { database, box } = await cliOnFreshDatabase(cleanups);
  return { database, box, env: { HOME: box.dir, BOXOFFICE_DB: database.url } };
}

/**
 * A start line for processes racing for one row: the test holds the row locked (`for update`)
 * until `count` sessions of the database wait on a lock, i.e. every process has read and is about
 * to write, then lets them all go at once.
 */
async function holdRowUntilWaiting(database: PostgresDatabase, lockSql: string, values: unknown[], count: number, started: Promise<Exit>[]): Promise<void> {
  const held = await holdLock(database, lockSql, values);
  try {
    await held.waitForWaiters(count, started);
  } finally {
    await held.release();
  }
}

describe.runIf(hasPostgres)(`leases on PostgreSQL${postgresNote}`, () => {
  it('exporters of one consumer started at once: exactly one exports, every other exits 4 (consumer_busy)', async () => {
    const { database, box, env } = await initialised();
    // The consumer exists (its first export made it); its row is what the exporters race for.
    expect(box.run(['sync', 'export', '--consumer', 'crm', '--to', path.join(box.dir, 'first.ndjson')]).code).toBe(0);
    const RACERS = 4;
    const racers = Array.from({ length: RACERS }, (_, i) =>
      startNode([BIN, '--json', 'sync', 'export', '--consumer', 'crm', '--follow', '--interval', '50', '--to', path.join(box.dir, `racer${i}.ndjson`)], env),
    );
    for (const r of racers) cleanups.push(() => void r.child.kill('SIGKILL'));
    await holdRowUntilWaiting(
      database,
      'select * from sync_consumers where name = $1 for update',
      ['crm'],
      RACERS,
      racers.map((r) => r.done),
    );

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

  it('two processes retrying the same due mail at once send each mail once', async () => {
    const { database, box, env } = await initialised();
    const smtp = await startSmtp({ delayMs: 30 });
    cleanups.push(() => smtp.close());
    const MAILS = 12;
    const handle = await openDatabase(database.url);
    try {
      const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER };
      for (let i = 0; i < MAILS; i++) {
        await queueMail(ctx, { kind: 'test', orderId: null, lang: 'en', to: `buyer${i}@example.com`, from: null, subject: `mail ${i}`, text: 'hello' });
      }
    } finally {
      await handle.close();
    }
    const retry = () => startNode([BIN, '--json', 'mail', 'retry'], { ...env, BOXOFFICE_SMTP_URL: smtp.url });
    const [a, b] = await Promise.all([retry().done, retry().done]);
    for (const r of [a, b]) expect(r.code, r.stderr).toBe(0);
    const reports = [a, b].map((r) => JSON.parse(r.stdout) as { sent: { id: number }[]; busy: number[]; alreadySent: number[] });
    // Each mail sent by exactly one process, and reached the server exactly once.
    const sent = reports.flatMap((r) => r.sent.map((m) => m.id)).sort((x, y) => x - y);
    expect(sent).toEqual(Array.from({ length: MAILS }, (_, i) => i + 1));
    expect(smtp.attempts.length).toBe(MAILS);
    expect(new Set(smtp.attempts).size).toBe(MAILS);
    const rows = await database.query<{ status: string; attempts: string }>('select status, attempts from mail_queue');
    expect(rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1)).toBe(true);
    void box;
  }, 120_000);

  it(`a burst of wrong PINs from many processes: no more checks at once than the guard allows (${FREE_ATTEMPTS} free, then one at a time)`, async () => {
    const { database } = await initialised();
    const [{ id }] = await database.query<{ id: string }>(
      "insert into staff (name, name_key, role, pin_hash, created_at) values ('Ana', 'ana', 'admin', 'not-a-hash', '2027-01-01T00:00:00.000Z') returning id",
    );
    const BURST = 12;
    const PARALLEL_CHECKS = 8;
    const checkers = Array.from({ length: BURST }, () => {
      const child = spawn(process.execPath, [PIN_CHECKER, JSON.stringify({ db: database.url, staffId: Number(id), name: 'Ana' })], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      // A refused checker exits on its own: the "finish" written to it then meets a closed pipe.
      child.stdin.on('error', () => {});
      const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
      return { child, done, first: () => stdout.split('\n').find(Boolean) };
    });
    for (const c of checkers) cleanups.push(() => void c.child.kill('SIGKILL'));
    // Start line: every process is inside startPinCheck, waiting on the member's row.
    await holdRowUntilWaiting(
      database,
      'select * from staff where id = $1 for update',
      [id],
      BURST,
      checkers.map((c) => c.done),
    );
    while (checkers.some((c) => c.first() === undefined)) {
      const gone = checkers.find((c) => c.child.exitCode !== null && c.first() === undefined);
      if (gone) throw new Error(`a checker died: ${(await gone.done).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const outcomes = checkers.map((c) => JSON.parse(c.first()!) as { started?: true; refused?: string });
    const started = outcomes.filter((o) => o.started).length;
    // No failure has counted yet (every check started is still under way): at most PARALLEL_CHECKS.
    expect({ started, refused: outcomes.filter((o) => o.refused).map((o) => o.refused) }).toEqual({
      started: PARALLEL_CHECKS,
      refused: Array(BURST - PARALLEL_CHECKS).fill('another PIN check for Ana is under way: try again in a moment'),
    });
    for (const c of checkers) if (c.child.stdin.writable) c.child.stdin.end('finish\n');
    for (const c of checkers) expect((await c.done).code).toBe(0);
    const [member] = await database.query<{ pin_failures: string }>('select pin_failures from staff where id = $1', [id]);
    expect(Number(member.pin_failures)).toBe(PARALLEL_CHECKS);
    // Backing off now: the next process is refused without a check.
    const next = spawn(process.execPath, [PIN_CHECKER, JSON.stringify({ db: database.url, staffId: Number(id), name: 'Ana' })], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    next.stdout.on('data', (d) => (out += d));
    await new Promise((resolve) => next.on('close', resolve));
    expect(JSON.parse(out).refused).toMatch(/^too many wrong PINs for Ana: try again after /);
  }, 120_000);
});
