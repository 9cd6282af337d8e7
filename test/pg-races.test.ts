// Races that fixes on PostgreSQL closed, each made deterministic: the test holds a lock from a pg
// client of its own (a table the first process must write, or a row it must change) until the
// processes it starts (the real CLI, or seller workers) wait on the lock in the order the race
// needs, then lets them go. Each test failed with its fix reverted (docs/postgres.md, "Races
// tested one by one"):
// - a GA section resized while a sale of that section is under way, in either order;
// - a hold lapsing between a sale's sweep of due holds and its GA count;
// - `event publish` racing `event cancel` of the same draft;
// - a server whose default isolation is REPEATABLE READ or SERIALIZABLE;
// - check-in racing a reissue of the same ticket.
// Run `npm run build` first.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../src/db/kysely.js';
import { BIN } from './helpers/cli.js';
import { hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { freshGala } from './helpers/pg-seed.js';
import { openDatabase } from '../src/db/connection.js';
import { readSnapshot, writeTransaction } from '../src/db/transaction.js';
import { cancelEvent } from '../src/core/events/cancel.js';
import { systemClock } from '../src/core/clock.js';
import { SINGLE_USER } from '../src/core/staff/permissions.js';
import { checkDatabaseAt, startTogether, type Report } from './workers/harness.js';

const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);
// Seats the sellers' named sales choose from: the middle of the front two rows, where best available starts too.
const POOL = ['A', 'B'].flatMap((row) => Array.from({ length: 10 }, (_, i) => `${row}-${i + 6}`));

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

/** A database with the schema and the Gala on sale (test/helpers/pg-seed.ts): Stalls A-J × 1-20, a GA Floor of `floor`. */
async function galaOnSale(floor: number): Promise<{ db: PostgresDatabase; event: string }> {
  const gala = await freshGala(floor);
  database = gala.db;
  return gala;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as JSON (--json), or undefined */
  json: any;
  /** the error's code from stderr (--json), or undefined */
  error: string | undefined;
}

/** Runs the CLI on `db` in the background, with --json. */
function boxoffice(db: PostgresDatabase, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, BOXOFFICE_DB: db.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const parse = (text: string) => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    };
    child.on('close', (code) => resolve({ code, stdout, stderr, json: parse(stdout), error: parse(stderr)?.error?.code }));
  });
}

async function ok(run: Promise<Run>): Promise<any> {
  const r = await run;
  expect(r.code, r.stderr).toBe(0);
  return r.json;
}

/** A transaction of the test's own on `db` (READ COMMITTED) that holds what `lockSql` takes until released. */
async function holding(db: PostgresDatabase, lockSql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('begin isolation level read committed');
  await client.query(lockSql, values);
  return {
    client,
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

// The boxoffice sessions of this database that wait on a lock, and what they wait to run.
const lockWaiters = "select query from pg_stat_activity where datname = current_database() and application_name = 'boxoffice' and wait_event_type = 'Lock'";

/**
 * Waits until `count` boxoffice sessions of the database wait on a lock: the processes started so
 * far have reached the statement the race is about. One of `running` that ends first fails the
 * test; `orEnded` ending is an answer too (when the code under test may finish instead of waiting).
 */
async function waitingOnLocks(db: PostgresDatabase, count: number, running: Promise<Run>[], orEnded?: Promise<Run>): Promise<void> {
  let ended: Run | undefined;
  for (const r of running) void r.then((done) => (ended ??= done));
  let answered = false;
  void orEnded?.then(() => (answered = true));
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      // pg_stat_activity is read once per transaction unless its snapshot is cleared.
      await client.query('select pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ query: string }>(lockWaiters);
      if (rows.length >= count || answered) return;
      if (ended) throw new Error(`a process ended before ${count} waited on a lock: ${JSON.stringify(ended)}`);
      if (Date.now() > deadline) throw new Error(`${count} sessions never waited on a lock; waiting: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}

/**
 * The race, in order: `first` runs until it waits on what `lockSql` holds (here), `second` until it
 * waits too, then both go on; their answers.
 */
async function race(db: PostgresDatabase, lockSql: string, first: () => Promise<Run>, second: () => Promise<Run>): Promise<[Run, Run]> {
  const lock = await holding(db, lockSql);
  const a = first();
  await waitingOnLocks(db, 1, [a]);
  const b = second();
  await waitingOnLocks(db, 2, [a, b]);
  await lock.release();
  return Promise.all([a, b]);
}

const serverNow = async (db: PostgresDatabase) => (await db.query<{ t: Date }>('select clock_timestamp() as t'))[0].t.getTime();
const gaLive = async (db: PostgresDatabase) => Number((await db.query<{ n: string }>(`select count(*) as n from tickets where seat_id is null and status in ('valid', 'used')`))[0].n);
const capacityOf = async (db: PostgresDatabase) => Number((await db.query<{ capacity: string }>(`select capacity from sections where name = 'Floor'`))[0].capacity);
const resize = (db: PostgresDatabase, capacity: number) => boxoffice(db, ['venue', 'seatmap', 'generate', 'Main Hall', '--section', 'Floor', '--capacity', String(capacity)]);
const sellGa = (db: PostgresDatabase, event: string, quantity: number, env: Record<string, string> = {}) =>
  boxoffice(db, ['sell', event, '--quantity', String(quantity), '--tier', 'Adult', '--pay', 'cash'], env);

describe.runIf(hasPostgres)(`PostgreSQL: races closed one by one${postgresNote}`, () => {
  it('a GA resize and the first sale of that section, in either order: the capacity is never below what is sold', async () => {
    const { db, event } = await galaOnSale(10);

    // The resize first: it has set the capacity to 2 and waits to write its event; a sale of 3
    // waits for the section's row and must then count against 2, as it would after the resize.
    const [resized, tooMany] = await race(
      db,
      'lock table outbox in share mode',
      () => resize(db, 2),
      () => sellGa(db, event, 3),
    );
    expect(resized.code, resized.stderr).toBe(0);
    expect(await capacityOf(db)).toBe(2);
    expect(await gaLive(db), 'places sold after the resize to 2').toBe(0);
    expect([tooMany.code, tooMany.error], tooMany.stderr).toEqual([4, 'sold_out']);
    expect(JSON.parse(tooMany.stderr).error.details).toEqual({ available: 2 });

    // The sale first: it has counted and written its 2 tickets, and waits to write its payment.
    // The resize to 1 must wait for it and then refuse (the venue has tickets), not shrink the
    // section under what it sold.
    const [sold, refused] = await race(
      db,
      'lock table payments in share mode',
      () => sellGa(db, event, 2),
      () => resize(db, 1),
    );
    expect(sold.code, sold.stderr).toBe(0);
    expect(await gaLive(db)).toBe(2);
    expect(await capacityOf(db), 'the capacity, 2 places sold').toBe(2);
    expect([refused.code, refused.error], refused.stderr).toEqual([4, 'invalid_state']);
  });

  it('a GA section moved to another price zone while a first sale waits for it: the sale is priced by the new zone', async () => {
    const { db, event } = await galaOnSale(10);
    await db.query(`insert into tier_prices (tier_id, zone, zone_key, price) values (1, 'VIP', 'vip', 9900)`);
    const rezone = () => boxoffice(db, ['venue', 'seatmap', 'generate', 'Main Hall', '--section', 'Floor', '--capacity', '10', '--zone', 'VIP']);
    const [rezoned, sold] = await race(db, 'lock table outbox in share mode', rezone, () => sellGa(db, event, 1));
    expect(rezoned.code, rezoned.stderr).toBe(0);
    expect(sold.code, sold.stderr).toBe(0);
    // Sold after the change committed, as a sale made after it is: VIP's price, not the old zone's.
    expect(sold.json.total).toBe(9900);
  });

  it('a hold lapsing between the sweep of due holds and the GA count is counted as held: no oversale when it is paid meanwhile', async () => {
    // Floor of 2: hold A (1 place, lapsed) and hold B (1 place).
    const { db, event } = await galaOnSale(2);
    const a = await ok(boxoffice(db, ['hold', event, '--quantity', '1', '--tier', 'Adult', '--minutes', '15']));
    const b = await ok(boxoffice(db, ['hold', event, '--quantity', '1', '--tier', 'Adult', '--minutes', '15']));
    await db.query(`update orders set expires_at = $1 where code = $2`, [new Date(Date.now() - 3_600_000).toISOString(), a.code]);

    // A sale of 2 sweeps at its instant: it finds A due and waits for A's row (held here); B is good.
    const holdingA = await holding(db, 'select id from orders where code = $1 for update', [a.code]);
    const sale = sellGa(db, event, 2);
    await waitingOnLocks(db, 1, [sale]);
    // B lapses 10 s from now by the server's clock (room for a process to start on a busy CI
    // machine; at 2 s the payer sometimes came too late). Its holder pays it before that, at a
    // terminal that then waits to write the payment (the payments table, held here).
    const [{ lapses }] = await db.query<{ lapses: string }>(
      `update orders set expires_at = to_char((clock_timestamp() + interval '10 seconds') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') where code = $1 returning expires_at as lapses`,
      [b.code],
    );
    const holdingPayments = await holding(db, 'lock table payments in share mode');
    const pay = boxoffice(db, ['order', 'pay', b.code, '--pay', 'cash']);
    await waitingOnLocks(db, 2, [sale, pay]);
    expect(await serverNow(db), 'the payer found B good: it got to its payment before B lapsed').toBeLessThan(Date.parse(lapses));
    // The server's clock passes B's end while the sale still waits; then the sale goes on to count.
    while ((await serverNow(db)) <= Date.parse(lapses) + 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await holdingA.release();
    await waitingOnLocks(db, 2, [], sale);
    await holdingPayments.release();
    const [refused, paid] = await Promise.all([sale, pay]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.json.status).toBe('paid');
    expect(await gaLive(db), 'places issued on a Floor of 2').toBe(1);
    // At the sale's one instant A had lapsed (swept) and B had not (held): one place left.
    expect([refused.code, refused.error], refused.stderr).toEqual([4, 'sold_out']);
    expect(JSON.parse(refused.stderr).error.details).toEqual({ available: 1 });
  });

  it('event publish racing event cancel of the same draft: only a draft goes on sale; the end is a sequential one, never a published cancelled event', async () => {
    const { db, event } = await galaOnSale(10);
    const status = async () => (await db.query<{ status: string }>(`select status from events where id = $1`, [event]))[0].status;
    const published = async () => Number((await db.query<{ n: string }>(`select count(*) as n from outbox where type = 'event.published'`))[0].n);

    // The cancel first: it holds the event row and waits to write its event; the publish read the
    // draft and waits for the row. It must then find the event cancelled. (The cancel runs the
    // core here: the CLI's cancel rehearses first, and the rehearsal's row lock ends in a rollback.)
    await db.query(`update events set status = 'draft' where id = $1`, [event]);
    const handle = await openDatabase(db.url);
    const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'test' };
    const cancelInCore = () =>
      cancelEvent(ctx, event).then(
        (json): Run => ({ code: 0, stdout: '', stderr: '', json, error: undefined }),
        (err): Run => ({ code: 1, stdout: '', stderr: String(err?.stack ?? err), json: undefined, error: err?.code }),
      );
    const [cancelled, refused] = await race(db, 'lock table outbox in share mode', cancelInCore, () => boxoffice(db, ['event', 'publish', event])).finally(() => handle.close());
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.json.event.status).toBe('cancelled');
    expect(await status(), 'the event, cancelled while the publish waited').toBe('cancelled');
    expect(await published()).toBe(0);
    expect([refused.code, refused.error], refused.stderr).toEqual([4, 'invalid_state']);

    // The publish first: it put the draft on sale and waits to write its event; the cancel waits
    // for the event row, then cancels the event on sale. Both succeed, as one after the other.
    await db.query(`update events set status = 'draft' where id = $1`, [event]);
    const both = await race(
      db,
      'lock table outbox in share mode',
      () => boxoffice(db, ['event', 'publish', event]),
      () => boxoffice(db, ['event', 'cancel', event, '--yes']),
    );
    for (const r of both) expect(r.code, r.stderr).toBe(0);
    expect(await status()).toBe('cancelled');
    expect(await published()).toBe(1);
  });

  for (const level of ['repeatable read', 'serializable'] as const) {
    it(`a server whose default isolation is ${level}: writes run READ COMMITTED, snapshots REPEATABLE READ; GA sales, feed readers and 3 sellers oversell nothing and meet no raw error`, async () => {
      const FLOOR = 4;
      const { db, event } = await galaOnSale(FLOOR);
      await db.query(`alter database ${db.name} set default_transaction_isolation = '${level}'`);
      expect((await db.query('show default_transaction_isolation'))[0]).toEqual({ default_transaction_isolation: level });

      const handle = await openDatabase(db.url);
      try {
        const show = sql<{ transaction_isolation: string }>`show transaction_isolation`;
        expect((await writeTransaction(handle.db, async (trx) => (await show.execute(trx)).rows[0])).transaction_isolation).toBe('read committed');
        expect((await readSnapshot(handle.db, async (s) => (await show.execute(s)).rows[0])).transaction_isolation).toBe('repeatable read');
      } finally {
        await handle.close();
      }

      // Three GA sales of 2 on a Floor of 4 wait for the section's row (held here), each having
      // read before it: the count after the lock must see the sales that committed meanwhile.
      let lock = await holding(db, `select id from sections where name = 'Floor' for update`);
      const sales = [1, 2, 3].map(() => sellGa(db, event, 2));
      await waitingOnLocks(db, 3, sales);
      await lock.release();
      const answers = await Promise.all(sales);
      expect(await gaLive(db), `places sold on a Floor of ${FLOOR}`).toBe(FLOOR);
      expect(answers.map((a) => [a.code, a.error]).sort(), answers.map((a) => a.stderr).join('')).toEqual([
        [0, undefined],
        [0, undefined],
        [4, 'sold_out'],
      ]);

      // The feed's numbering after a commit (the sale) and before a read (log) wait for the
      // sequencer, which numbers the sale's events meanwhile: both then find them numbered.
      lock = await holding(db, 'select pg_advisory_xact_lock(6450040, 1717920100)');
      const seated = boxoffice(db, ['sell', event, '--seats', 'J-1', '--tier', 'Adult', '--pay', 'cash']);
      await waitingOnLocks(db, 1, [seated]);
      const log = boxoffice(db, ['log', '--limit', '1']);
      await waitingOnLocks(db, 2, [seated, log]);
      await lock.client.query('select boxoffice_number_feed()');
      await lock.client.query('commit');
      await lock.client.end();
      for (const r of await Promise.all([seated, log])) expect([r.code, r.stderr]).toEqual([0, '']);
      const unnumbered = await db.query<{ n: string }>('select count(*) as n from outbox where seq is null');
      expect(Number(unnumbered[0].n)).toBe(0);

      // A short rush of 3 sellers selling every way: only the domain's refusals, nothing sold twice.
      const mix = { named: 3, best: 2, ga: 1, hold: 1, refund: 1, checkin: 1 };
      const sellers = await startTogether(
        Array.from({ length: 3 }, (_, i) => ({ db: db.url, event, worker: `s${i}`, seed: BASE_SEED + i, mode: 'rounds' as const, attempts: 4, pool: POOL, thinkMs: 4, mix })),
      );
      const exits = await Promise.all(sellers.map((s) => s.exited));
      const context = `RACE_SEED=${BASE_SEED}`;
      exits.forEach((e, i) => expect(e.code, `${context}: seller s${i}: ${e.stderr}`).toBe(0));
      const reports: Report[] = sellers.map((s) => s.lines.find((l) => l.report)?.report);
      expect(
        reports.flatMap((r) => r.unexpected),
        context,
      ).toEqual([]);
      expect(await gaLive(db), context).toBeLessThanOrEqual(FLOOR);
      expect((await checkDatabaseAt(db.url)).violations, context).toEqual({});
      // A read through a REPEATABLE READ snapshot on this server: the seat map.
      const seats = await boxoffice(db, ['seats', event]);
      expect([seats.code, seats.stderr]).toEqual([0, '']);
    });
  }

  it('check-in racing a reissue of the same ticket, in either order: one wins, the other gets the domain refusal', async () => {
    const { db, event } = await galaOnSale(10);
    const sale = await ok(sellGa(db, event, 2));
    const [first, second] = (sale.tickets as { code: string }[]).map((t) => t.code);
    const ticketStatus = async (code: string) => (await db.query<{ status: string }>(`select status from tickets where code = $1`, [code]))[0].status;

    // The scan first: it marked the ticket used and waits to write its check-in; the reissue read
    // the ticket valid and waits for its row. It must then refuse: the ticket was used.
    const [admitted, notReissued] = await race(
      db,
      'lock table checkins in share mode',
      () => boxoffice(db, ['checkin', first]),
      () => boxoffice(db, ['tickets', 'reissue', first]),
    );
    expect(admitted.code, admitted.stderr).toBe(0);
    expect(await ticketStatus(first), 'the ticket admitted while the reissue waited').toBe('used');
    expect([notReissued.code, notReissued.error], notReissued.stderr).toEqual([4, 'ticket_used']);

    // The reissue first: it voided the ticket and waits to write its events; the scan read the
    // ticket valid and waits for its row. It must then refuse: the ticket is void.
    const [reissued, notAdmitted] = await race(
      db,
      'lock table outbox in share mode',
      () => boxoffice(db, ['tickets', 'reissue', second]),
      () => boxoffice(db, ['checkin', second]),
    );
    expect(reissued.code, reissued.stderr).toBe(0);
    expect(await ticketStatus(second), 'the ticket reissued while the scan waited').toBe('void');
    expect([notAdmitted.code, notAdmitted.error], notAdmitted.stderr).toEqual([4, 'ticket_void']);
    expect(await ticketStatus(reissued.json.code)).toBe('valid');
    // Each sold place has one live ticket, and one check-in at most.
    expect(await gaLive(db)).toBe(2);
    expect(Number((await db.query<{ n: string }>(`select count(*) as n from checkins`))[0].n)).toBe(1);
  });
});
