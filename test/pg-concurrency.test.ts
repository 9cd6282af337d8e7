// The sale path on PostgreSQL under concurrency (issue 12, "Must show"): real OS processes
// (test/workers/seller.mjs over the compiled core in dist/) on one database, at READ COMMITTED.
// Each rule the core relies on is said at its site; these tests fail when one is missing:
// - 8 terminals selling one event every way at once: no seat or place sold twice, GA capacity
//   sold exactly, every paid order whole, no answer but success and the domain's refusals;
// - a hold paid while other terminals, whose clocks run later, expire it and sell its seats;
// - one idempotency key from two processes; two scans of one ticket; two amount refunds.
// Run `npm run build` first. RACE_SEED replays the random choices of a failing run.
import { afterEach, describe, expect, it } from 'vitest';
import { hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { freshGala } from './helpers/pg-seed.js';
import { checkDatabaseAt, queryAt, soldOrdersAt, startTogether, type Report, type Sale, type SellerConfig } from './workers/harness.js';

const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);
const context = `RACE_SEED=${BASE_SEED}`;
// Twenty seats in the middle of the front two rows, where best available starts too.
const POOL = ['A', 'B'].flatMap((row) => Array.from({ length: 10 }, (_, i) => `${row}-${i + 6}`));
const T0 = '2027-01-10T12:00:00.000Z';

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

/** A database with the schema and the Gala on sale (test/helpers/pg-seed.ts): a GA Floor of `floor`. */
async function galaDatabase(floor: number): Promise<{ url: string; eventId: string }> {
  const gala = await freshGala(floor, T0);
  database = gala.db;
  return { url: gala.db.url, eventId: gala.event };
}

type Answer = { result?: any; error?: { code?: string; message: string }; exitCode?: number };

/** Runs one request in each of several processes at once; their answers and exit codes. */
async function atOnce(url: string, requests: (Pick<SellerConfig, 'once' | 'clock'> & { worker: string })[]): Promise<(Answer & { code: number | null; stderr: string })[]> {
  const sellers = await startTogether(requests.map((r, i) => ({ db: url, event: '1', seed: BASE_SEED + i, mode: 'once', pool: POOL, ...r })));
  const exits = await Promise.all(sellers.map((s) => s.exited));
  return sellers.map((s, i) => ({ ...(s.lines.find((l) => 'result' in l || 'error' in l) as Answer), code: exits[i].code, stderr: exits[i].stderr }));
}

async function one(url: string, request: Pick<SellerConfig, 'once' | 'clock'>): Promise<any> {
  const [answer] = await atOnce(url, [{ worker: 'setup', ...request }]);
  expect(answer.code, `${JSON.stringify(answer)}`).toBe(0);
  return answer.result;
}

async function expectConsistent(url: string): Promise<Record<string, unknown>> {
  const { violations, stats } = await checkDatabaseAt(url);
  expect(violations, `${context}: ${JSON.stringify(stats)}`).toEqual({});
  return stats;
}

const gaLive = async (url: string) => (await queryAt(url, `select count(*) as n from tickets where seat_id is null and status in ('valid', 'used')`))[0].n as number;

describe.runIf(hasPostgres)(`PostgreSQL: sales under concurrency${postgresNote}`, () => {
  it('8 processes sell one event every way at once: nothing sold twice, GA capacity never exceeded, every paid order whole, only exits 0 and 4', async () => {
    const FLOOR = 12;
    const { url, eventId } = await galaDatabase(FLOOR);
    const WORKERS = 8;
    const sellers = await startTogether(
      Array.from({ length: WORKERS }, (_, i) => ({
        db: url,
        event: eventId,
        worker: `w${i}`,
        seed: BASE_SEED + i,
        mode: 'rounds' as const,
        attempts: 30,
        pool: POOL,
        thinkMs: 4,
        mix: { named: 30, best: 20, ga: 20, hold: 10, refund: 10, checkin: 10 },
      })),
    );
    const exits = await Promise.all(sellers.map((s) => s.exited));
    exits.forEach((e, i) => expect(e.code, `${context}: worker w${i}; stderr: ${e.stderr}`).toBe(0));
    const reports: Report[] = sellers.map((s) => s.lines.find((l) => l.report)?.report);
    reports.forEach((r, i) => expect(r, `${context}: worker w${i} printed no report`).toBeDefined());

    // Nothing but the domain's refusals (exit 4) reached a terminal: no raw database error.
    expect(
      reports.flatMap((r) => r.unexpected.map((u) => ({ worker: r.worker, ...u }))),
      context,
    ).toEqual([]);
    for (const r of reports) for (const code of Object.keys(r.refusals)) expect(['seat_unavailable', 'no_adjacent_seats', 'sold_out'], context).toContain(code);
    const sales: (Sale & { worker: string })[] = reports.flatMap((r) => r.sales.map((s) => ({ ...s, worker: r.worker })));
    expect(new Set(sales.map((s) => s.via)), context).toEqual(new Set(['named', 'best', 'ga', 'hold']));
    expect(
      reports.reduce((n, r) => n + r.checkedIn.length, 0),
      `${context}: no check-ins`,
    ).toBeGreaterThan(0);

    // What the terminals were told agrees with the database.
    const refunded = new Set(reports.flatMap((r) => r.refunded));
    const live = sales.filter((s) => !refunded.has(s.code));
    const { orders, seatsByOrder } = await soldOrdersAt(url);
    const status = new Map(orders.map((o) => [o.code, o.status]));
    for (const s of sales) expect(status.get(s.code), `${context}: ${s.worker} sold ${s.code}`).toBe(refunded.has(s.code) ? 'refunded' : 'paid');
    const paidInDb = orders.filter((o) => o.status === 'paid' || o.status === 'partially_refunded').map((o) => o.code);
    expect(new Set(paidInDb), context).toEqual(new Set(live.map((s) => s.code)));
    const owner = new Map<string, string>();
    for (const s of live) {
      expect(seatsByOrder.get(s.code) ?? [], `${context}: seats of ${s.code}`).toEqual(s.seats.filter((x) => x !== null));
      for (const seat of seatsByOrder.get(s.code) ?? []) {
        expect(owner.get(seat), `${context}: seat ${seat} sold to ${owner.get(seat)} and ${s.code}`).toBeUndefined();
        owner.set(seat, s.code);
      }
    }

    // The database's own invariants: no seat sold twice, sold claims = issued tickets, every
    // paid order with its payment and tickets, the outbox telling the same story.
    const stats = await expectConsistent(url);
    const seatedTickets = (await queryAt(url, `select count(*) as n from tickets where seat_id is not null and status in ('valid', 'used')`))[0].n;
    expect((stats.claims as Record<string, number>).sold ?? 0, context).toBe(seatedTickets);
    expect(owner.size, context).toBe(seatedTickets);
    expect(stats.payments, context).toBe(sales.length);
    expect(stats.refunds, context).toBe(refunded.size);
    // GA: never more than the capacity, and it did sell out.
    expect(await gaLive(url), context).toBeLessThanOrEqual(FLOOR);
    expect(
      reports.reduce((n, r) => n + (r.refusals.sold_out ?? 0), 0),
      `${context}: GA never sold out`,
    ).toBeGreaterThan(0);
  });

  it('8 processes buying GA places until sold out sell the capacity exactly, never more', async () => {
    const FLOOR = 10;
    const { url, eventId } = await galaDatabase(FLOOR);
    const sellers = await startTogether(
      Array.from({ length: 8 }, (_, i) => ({ db: url, event: eventId, worker: `g${i}`, seed: BASE_SEED + i, mode: 'rounds' as const, attempts: 6, pool: POOL, mix: { ga: 1 } })),
    );
    const exits = await Promise.all(sellers.map((s) => s.exited));
    exits.forEach((e, i) => expect(e.code, `${context}: worker g${i}; stderr: ${e.stderr}`).toBe(0));
    const reports: Report[] = sellers.map((s) => s.lines.find((l) => l.report)?.report);
    expect(
      reports.flatMap((r) => r.unexpected),
      context,
    ).toEqual([]);
    expect(
      reports.reduce((n, r) => n + (r.refusals.sold_out ?? 0), 0),
      context,
    ).toBeGreaterThan(0);
    const told = reports.reduce((n, r) => n + r.sales.reduce((m, s) => m + s.tickets, 0), 0);
    expect(await gaLive(url), context).toBe(FLOOR);
    expect(told, `${context}: places the terminals were told they sold`).toBe(FLOOR);
    await expectConsistent(url);
  });

  it('holds paid while terminals with later clocks expire them and sell their seats: never a paid order without its seats, never a seat with two live tickets', async () => {
    const { url } = await galaDatabase(10);
    const ROUNDS = 3;
    const HOLDS = 12;
    for (let round = 0; round < ROUNDS; round++) {
      const row = 'CDE'[round];
      const seats = Array.from({ length: HOLDS }, (_, i) => `${row}-${i + 1}`);
      // Holds of 15 minutes made at T0 by a terminal whose clock stands at T0.
      const codes: string[] = await one(url, { once: { op: 'holds', seats, minutes: 15 }, clock: { at: T0 } });
      // The payer's clock: 14 minutes in, every hold still good. The others': 16 minutes in, every
      // hold lapsed; one sweeps them all, one sells the same seats (sweeping first, as sales do).
      const answers = await atOnce(url, [
        { worker: 'payer', once: { op: 'payEach', codes }, clock: { at: '2027-01-10T12:14:00.000Z' } },
        { worker: 'sweeper', once: { op: 'expire' }, clock: { at: '2027-01-10T12:16:00.000Z' } },
        { worker: 'seller', once: { op: 'sell', seats: seats.slice(HOLDS / 2).join(',') }, clock: { at: '2027-01-10T12:16:00.000Z' } },
      ]);
      for (const a of answers) expect([0, 4], `${context}: ${JSON.stringify(a)}`).toContain(a.code);
      const [payer, sweeper] = answers;
      expect(sweeper.code, JSON.stringify(sweeper)).toBe(0);
      expect(payer.code, JSON.stringify(payer)).toBe(0);
      // Each hold ended one way, and the payer was told which.
      const status = new Map((await queryAt(url, `select code, status from orders`)).map((o) => [o.code, o.status]));
      for (const a of payer.result as { code: string; status?: string; refused?: string; exitCode?: number }[]) {
        if (a.status) expect(status.get(a.code), `${context}: ${a.code} paid`).toBe('paid');
        else {
          expect(['hold_expired', 'invalid_state']).toContain(a.refused);
          expect(a.exitCode).toBe(4);
          expect(status.get(a.code), `${context}: ${a.code} refused`).toBe('expired');
        }
      }
      // A paid hold keeps every seat; an expired one keeps none.
      const paidWithoutSeats = await queryAt(
        url,
        `select o.code, count(t.id) as tickets, count(c.seat_id) as claims from orders o join tickets t on t.order_id = o.id
           left join seat_claims c on c.ticket_id = t.id and c.status = 'sold'
          where o.status = 'paid' group by o.code having count(c.seat_id) <> count(t.id)`,
      );
      expect(paidWithoutSeats, context).toEqual([]);
      await expectConsistent(url);
    }
  });

  it('one idempotency key from two processes at once: one charge, one replay', async () => {
    const { url } = await galaDatabase(10);
    for (let round = 0; round < 4; round++) {
      const key = `race-key-${round}-${BASE_SEED}`;
      const request = { op: 'sell', seats: `F-${round + 1},F-${round + 11}`, key };
      const answers = await atOnce(url, [
        { worker: 'a', once: request },
        { worker: 'b', once: request },
      ]);
      for (const a of answers) expect(a.code, `${context}: ${JSON.stringify(a)} ${a.stderr}`).toBe(0);
      expect(answers.map((a) => a.result.replayed).sort(), context).toEqual([false, true]);
      expect(answers[0].result.code, context).toBe(answers[1].result.code);
      const payments = await queryAt(url, `select count(*) as n from payments p join idempotency_keys k on k.order_id = p.order_id where k.key = '${key}'`);
      expect(payments[0].n, `${context}: charges for ${key}`).toBe(1);
    }
    expect((await queryAt(url, `select count(*) as n from orders`))[0].n).toBe(4);
    await expectConsistent(url);
  });

  it('two scans of one ticket at once: one admitted, the other told ticket_used (exit 4)', async () => {
    const { url } = await galaDatabase(10);
    const sold = await one(url, { once: { op: 'sell', seats: 'G-1,G-2,G-3,G-4,G-5' } });
    for (const ticket of sold.tickets as { code: string }[]) {
      const answers = await atOnce(url, [
        { worker: 'gate1', once: { op: 'checkin', code: ticket.code } },
        { worker: 'gate2', once: { op: 'checkin', code: ticket.code } },
      ]);
      expect(answers.map((a) => a.code).sort(), `${context}: ${JSON.stringify(answers)}`).toEqual([0, 4]);
      expect(answers.find((a) => a.code === 4)!.error!.code).toBe('ticket_used');
    }
    expect((await queryAt(url, `select count(*) as n from checkins`))[0].n).toBe(5);
    await expectConsistent(url);
  });

  it('two amount refunds at once never give back more than was paid', async () => {
    const { url } = await galaDatabase(10);
    for (let round = 0; round < 4; round++) {
      const sold = await one(url, { once: { op: 'sell', seats: `H-${round + 1}` } });
      // 15.00 twice on an order of 25.00: both fit alone, not together.
      const answers = await atOnce(url, [
        { worker: 'a', once: { op: 'refund', code: sold.code, amount: '15.00' } },
        { worker: 'b', once: { op: 'refund', code: sold.code, amount: '15.00' } },
      ]);
      const refunded = await queryAt(url, `select coalesce(sum(p.amount), 0) as n from payments p join orders o on o.id = p.order_id where o.code = '${sold.code}' and p.kind = 'refund'`);
      expect(Number(refunded[0].n), `${context}: ${JSON.stringify(answers)}`).toBe(1500);
      expect(answers.map((a) => a.code).sort(), JSON.stringify(answers)).toEqual([0, 4]);
      // The second is told what SQLite would tell it: no more than what is left, now that the
      // first refunded (a conflict with the order as it is, exit 4).
      expect(answers.find((a) => a.code === 4)!.error!.code).toBe('invalid_state');
    }
    await expectConsistent(url);
  });
});
