// Several terminals, one database file: separate OS processes selling seats of one event at the
// same time. SPEC: "A seat can never be sold twice — not by two terminals, not by two processes
// racing"; write transactions take the write lock up front, so no SQLITE_BUSY reaches a seller.
//
// Runs against the compiled code in dist/ (npm run build first). The random choices are seeded;
// set RACE_SEED to replay a failing run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/cli.js';
import { openCore, seedGala } from './helpers/core.js';
import { checkDatabase, soldOrders, startTogether, type Report, type Sale } from './workers/harness.js';

const WORKERS = 4;
const ATTEMPTS = 80;
// Twenty seats in the middle of the front two rows: where best-available starts too, so named
// and best-available sales fight over the same seats.
const POOL = ['A', 'B'].flatMap((row) => Array.from({ length: 10 }, (_, i) => `${row}-${i + 6}`));
const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A seeded database file with the Gala on sale, closed again so only the workers have it open. */
async function galaFile(): Promise<{ file: string; eventId: string }> {
  expect(fs.existsSync(path.join(ROOT, 'dist/core/orders/sale.js')), 'run `npm run build` first').toBe(true);
  const fx = await openCore();
  const { eventId } = await seedGala(fx.ctx);
  const file = fx.handle.file;
  await fx.handle.close();
  cleanups.push(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  return { file, eventId };
}

/** How often consecutive orders (by id) come from different processes: 0 if they ran one after another. */
function switches(channels: string[]): number {
  let n = 0;
  for (let i = 1; i < channels.length; i++) if (channels[i] !== channels[i - 1]) n++;
  return n;
}

describe('several processes selling one event from one file', () => {
  it(`${WORKERS} core processes × ${ATTEMPTS} attempts: no seat sold twice, no BUSY, every sale whole`, async () => {
    const { file, eventId } = await galaFile();
    // Start line: every process has imported the core and opened the file before any sells.
    const sellers = await startTogether(
      Array.from({ length: WORKERS }, (_, i) => ({ db: file, event: eventId, worker: `w${i}`, seed: BASE_SEED + i, mode: 'rounds' as const, attempts: ATTEMPTS, pool: POOL, thinkMs: 4 })),
    );
    const exits = await Promise.all(sellers.map((s) => s.exited));
    const context = `RACE_SEED=${BASE_SEED}`;
    exits.forEach((e, i) => expect(e.code, `${context}: worker w${i} exit; stderr: ${e.stderr}`).toBe(0));
    const reports: Report[] = sellers.map((s) => s.lines.find((l) => l.report)?.report);
    reports.forEach((r, i) => expect(r, `${context}: worker w${i} printed no report`).toBeDefined());

    // 1. Nothing but the expected refusals reached any seller: no SQLITE_BUSY, no constraint error.
    const unexpected = reports.flatMap((r) => r.unexpected.map((u) => ({ worker: r.worker, ...u })));
    expect(unexpected, context).toEqual([]);
    for (const r of reports) {
      for (const code of Object.keys(r.refusals)) expect(['seat_unavailable', 'no_adjacent_seats'], context).toContain(code);
    }

    // 2. It was a real race: the processes overlapped in time, their orders interleave, and they
    //    collided often (refusals), while still selling plenty.
    const latestStart = Math.max(...reports.map((r) => r.startedAt));
    const earliestEnd = Math.min(...reports.map((r) => r.finishedAt));
    expect(latestStart, `${context}: workers did not overlap`).toBeLessThan(earliestEnd);
    const { orders, seatsByOrder } = soldOrders(file);
    expect(switches(orders.map((o) => o.channel)), `${context}: orders did not interleave`).toBeGreaterThan(20);
    const sales: (Sale & { worker: string })[] = reports.flatMap((r) => r.sales.map((s) => ({ ...s, worker: r.worker })));
    const refusals = reports.reduce((n, r) => n + (r.refusals.seat_unavailable ?? 0), 0);
    expect(sales.length, context).toBeGreaterThan(40);
    expect(refusals, `${context}: too few collisions to prove anything`).toBeGreaterThan(20);
    expect(new Set(sales.map((s) => s.via)), context).toEqual(new Set(['named', 'best', 'hold']));

    // 3. What the sellers were told agrees with the database, order by order.
    const refunded = new Set(reports.flatMap((r) => r.refunded));
    const live = sales.filter((s) => !refunded.has(s.code));
    const status = new Map(orders.map((o) => [o.code, o.status]));
    expect(new Set(sales.map((s) => s.code)).size, `${context}: an order code was reported twice`).toBe(sales.length);
    for (const s of sales) {
      expect(status.get(s.code), `${context}: ${s.worker} sold ${s.code}`).toBe(refunded.has(s.code) ? 'refunded' : 'paid');
    }
    for (const s of live) expect(seatsByOrder.get(s.code), `${context}: seats of ${s.code}`).toEqual(s.seats);
    // ... and nothing was paid that no seller was told about (a sale reported as failed but committed).
    const paidInDb = orders.filter((o) => o.status === 'paid' || o.status === 'partially_refunded').map((o) => o.code);
    expect(new Set(paidInDb), context).toEqual(new Set(live.map((s) => s.code)));
    // Pending orders: none (every hold in this run was paid at once).
    expect(
      orders.filter((o) => o.status === 'pending'),
      context,
    ).toEqual([]);

    // 4. No seat sold twice: not in what the sellers were told, not in the database.
    const owner = new Map<string, string>();
    for (const s of live) {
      for (const seat of s.seats) {
        expect(owner.get(seat), `${context}: seat ${seat} sold to ${owner.get(seat)} and ${s.code}`).toBeUndefined();
        owner.set(seat, s.code);
      }
    }
    const { violations, stats } = checkDatabase(file);
    expect(violations, `${context}: ${JSON.stringify(stats)}`).toEqual({});

    // 5. Counts: sold claims == issued tickets == tickets the sellers were told they sold (less refunds).
    const liveTickets = live.reduce((n, s) => n + s.tickets, 0);
    const tickets = stats.tickets as Record<string, number>;
    const claims = stats.claims as Record<string, number>;
    expect(claims.sold ?? 0, context).toBe(liveTickets);
    expect((tickets.valid ?? 0) + (tickets.used ?? 0), context).toBe(liveTickets);
    expect(owner.size, context).toBe(liveTickets);
    expect(stats.payments, context).toBe(sales.length);
    expect(stats.paidEvents, context).toBe(sales.length);
    expect(stats.refunds, context).toBe(refunded.size);
  });

  it('4 processes running the real CLI `sell --seats` at once: one winner per round, exit 0 or 4 only', async () => {
    const { file, eventId } = await galaFile();
    const home = path.dirname(file);
    const LANES = 4;
    const ROUNDS = 5;
    interface Run {
      lane: number;
      round: number;
      seats: string;
      code: number | null;
      stdout: string;
      stderr: string;
    }
    const sell = (lane: number, round: number, wanted: string) =>
      new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'sell', eventId, '--seats', wanted, '--tier', 'Adult', '--pay', 'cash', '--json'], {
          env: { PATH: process.env.PATH ?? '', HOME: home, BOXOFFICE_DB: file },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (code) => resolve({ lane, round, seats: wanted, code, stdout, stderr }));
      });
    // Each round starts four terminals at once: two want C-n,C-n+1 and two want C-n+1,C-n+2. Every
    // request overlaps every other at C-n+1, so exactly one may win.
    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const n = 1 + round * 3;
      const pairs = [`C-${n},C-${n + 1}`, `C-${n + 1},C-${n + 2}`];
      runs.push(...(await Promise.all(Array.from({ length: LANES }, (_, lane) => sell(lane, round, pairs[lane % 2])))));
    }

    const sold: { code: string; round: number; seats: string[] }[] = [];
    for (const run of runs) {
      const what = `round ${run.round} lane ${run.lane} sell ${run.seats}: exit ${run.code}\n${run.stderr}`;
      expect([0, 4], what).toContain(run.code);
      if (run.code === 0) {
        const order = JSON.parse(run.stdout);
        expect(order.status, what).toBe('paid');
        expect(order.payments.length, what).toBe(1);
        const seats = order.tickets.map((t: { seat: string }) => t.seat).sort();
        expect(seats, what).toEqual(run.seats.split(',').sort());
        sold.push({ code: order.code, round: run.round, seats });
      } else {
        expect(JSON.parse(run.stderr).error.code, what).toBe('seat_unavailable');
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      expect(sold.filter((s) => s.round === round).length, `winners of round ${round}`).toBe(1);
    }
    const { orders, seatsByOrder } = soldOrders(file);
    expect(new Set(orders.filter((o) => o.status === 'paid').map((o) => o.code))).toEqual(new Set(sold.map((s) => s.code)));
    for (const s of sold) expect(seatsByOrder.get(s.code)).toEqual(s.seats);
    const { violations, stats } = checkDatabase(file);
    expect(violations, JSON.stringify(stats)).toEqual({});
    expect((stats.claims as Record<string, number>).sold).toBe(sold.length * 2);
    expect(stats.payments).toBe(sold.length);
  });
});
