// A Z report closed while sales go on, on PostgreSQL (issue 12): several OS processes sell while
// another closes the same operator's Z report again and again. Every payment must fall in exactly
// one period (a closed one, counted in its report, or the open one), and the chain must verify:
// a payment dated before a report's end that committed after the report was read would sit in a
// closed period without being in its figures.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, sandbox } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { seedEvent } from './helpers/pg-seed.js';
import { openDatabase } from '../src/db/connection.js';
import { verifyZChain } from '../src/core/reports/cashup.js';

const WORKER = path.join(ROOT, 'test/workers/pg-drawer.mjs');
const SELLERS = 3;
const SALES_EACH = 40;

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

interface WorkerReport {
  role: string;
  done: number;
  refused: Record<string, number>;
  unexpected: string[];
}

function start(args: string[]) {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<WorkerReport>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as WorkerReport) : reject(new Error(`worker ${args[1]} exited ${code}: ${err}`)))),
  );
  return { child, done };
}

describe.runIf(hasPostgres)(`Z reports closed while sales go on, on PostgreSQL${postgresNote}`, () => {
  it('every payment falls in exactly one period and the chain verifies', async () => {
    database = await freshPostgresDatabase();
    const db = database;
    const box = sandbox({ BOXOFFICE_DB: db.url });
    expect(box.run(['init']).code).toBe(0);
    const event = await seedEvent(db);

    const closer = start([db.url, 'close']);
    const sellers = Array.from({ length: SELLERS }, () => start([db.url, 'sell', event, String(SALES_EACH)]));
    const sold = await Promise.all(sellers.map((s) => s.done));
    closer.child.stdin.end('stop\n');
    const closed = await closer.done;

    for (const r of sold) {
      expect(r.unexpected).toEqual([]);
      expect(r.refused).toEqual({});
      expect(r.done).toBe(SALES_EACH);
    }
    expect(closed.unexpected).toEqual([]);
    // Closing with nothing taken since the last close is refused as such (invalid_state), nothing else.
    expect(Object.keys(closed.refused).filter((code) => code !== 'invalid_state')).toEqual([]);
    expect(closed.done).toBeGreaterThan(1);

    const payments = await db.query<{ id: string; created_at: string }>('select id, created_at from payments order by created_at');
    expect(payments.length).toBe(SELLERS * SALES_EACH);
    const reports = await db.query<{ number: string; period_start: string | null; period_end: string; body: string }>('select number, period_start, period_end, body from z_reports order by number');
    expect(reports.length).toBe(closed.done);
    // Each period starts where the one before ended.
    reports.forEach((z, i) => expect(z.period_start).toBe(i === 0 ? null : reports[i - 1].period_end));
    const lastEnd = reports.at(-1)!.period_end;
    for (const p of payments) {
      const periods = reports.filter((z) => (z.period_start === null || p.created_at > z.period_start) && p.created_at <= z.period_end);
      expect(periods.length, `payment ${p.id} at ${p.created_at}`).toBe(p.created_at > lastEnd ? 0 : 1);
    }
    // What the reports counted, and the open period, are all the payments.
    const counted = reports.reduce((n, z) => n + (JSON.parse(z.body) as { drawers: { payments: number }[] }).drawers.reduce((m, d) => m + d.payments, 0), 0);
    const open = payments.filter((p) => p.created_at > lastEnd).length;
    expect(counted + open).toBe(payments.length);

    const handle = await openDatabase(db.url);
    try {
      const chain = await verifyZChain(handle.db);
      expect(chain.problems).toEqual([]);
      expect(chain.ok).toBe(true);
    } finally {
      await handle.close();
    }
    const zreports = box.run(['report', 'zreports', '--json']);
    expect(zreports.code).toBe(0);
    box.cleanup();
  });
});
