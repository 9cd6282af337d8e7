// Races around a sale on PostgreSQL that a terminal meets at the counter and at the door (issue
// 12; docs/postgres.md, "The sale path under concurrency"), with real processes of the CLI on one
// database. Each race is made to happen, not hoped for: the test holds a lock from a session of
// its own until the processes it starts wait on it, then lets them go, so the interleaving is the
// one named. Every answer must be one the sequential code gives for the same order of commits:
// - a sale and its replay (one idempotency key, --send) at once queue and send one tickets mail;
// - a refund and a scan of one of its tickets: whichever commits first, the other refuses;
// - a scan or a reissue racing `event cancel --refund`: they wait for each other, no deadlock;
// - two sales to one customer's email, one naming them: the name is kept, never lost or replaced.
// Run `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir, type CliResult } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { seedEvent } from './helpers/pg-seed.js';
import { runAsync, startSmtp } from './helpers/smtp.js';
import { startTogether } from './workers/harness.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A database made by `init`, with the Gala on sale (Stalls A-1…A-20, Adult 25.00), and a CLI on it. */
async function boxOffice() {
  expect(fs.existsSync(path.join(ROOT, 'dist/core/orders/sale.js')), 'run `npm run build` first').toBe(true);
  const database = await freshPostgresDatabase();
  cleanups.push(() => database.drop());
  const home = tempDir();
  cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH ?? '', HOME: home, BOXOFFICE_DB: database.url };
  const run = (args: string[], extra: Record<string, string> = {}) => runAsync(['--json', ...args], { ...env, ...extra });
  const init = await run(['init']);
  expect(init.code, init.stderr).toBe(0);
  const event = await seedEvent(database, 100, 20);
  /** A paid order of these seats; its code and ticket codes. */
  const sell = async (seats: string, extra: string[] = []) => {
    const sold = await run(['sell', event, '--seats', seats, '--tier', 'Adult', '--pay', 'cash', ...extra]);
    expect(sold.code, sold.stderr).toBe(0);
    return { code: sold.json.code as string, tickets: (sold.json.tickets as { code: string }[]).map((t) => t.code) };
  };
  return { database, event, run, sell };
}

const errorOf = (r: CliResult) => JSON.parse(r.stderr).error as { code: string; message: string };

/**
 * `order refund` as the core runs it, without the rehearsal the command makes first (which would
 * meet the race in its place): refundOrder in a process of its own (test/workers/seller.mjs), its
 * answer shaped as the CLI's under --json.
 */
async function refundInProcess(url: string, event: string, code: string): Promise<CliResult> {
  const [worker] = await startTogether([{ db: url, event, worker: 'office', seed: 1, mode: 'once', pool: [], once: { op: 'refund', code } }]);
  const exit = await worker.exited;
  const answer = worker.lines.find((l) => 'result' in l || 'error' in l) ?? {};
  return { code: exit.code ?? -1, stdout: JSON.stringify(answer.result ?? null), stderr: answer.error ? JSON.stringify({ error: answer.error }) : exit.stderr, json: answer.result };
}

/**
 * A session of the test's own, inside a transaction that holds the locks its statements take until
 * `release()`. `waiters(n, running)` returns once n other sessions of the database wait on a lock,
 * i.e. the processes started have got as far as the lock; it fails if one of them ends first.
 */
async function lockHolder(database: PostgresDatabase) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let open = true;
  const release = async () => {
    if (!open) return;
    open = false;
    await client.query('rollback');
    await client.end();
  };
  cleanups.push(release);
  await client.query('begin');
  return {
    hold: async (text: string, values: unknown[] = []) => client.query(text, values),
    async waiters(n: number, running: Promise<CliResult>[]) {
      let ended: CliResult | undefined;
      for (const r of running) void r.then((e) => (ended ??= e));
      for (;;) {
        // pg_stat_activity is read as of the start of a transaction: a clear snapshot each time.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
        if (Number(rows[0].n) >= n) return;
        if (ended) throw new Error(`a process ended before it reached the lock: ${JSON.stringify(ended)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    release,
  };
}

/**
 * Two processes lined up on a lock the test holds (`lock`, run in its own transaction): `first`
 * starts and gets as far as the lock, then `second` starts and gets as far as a lock (the test's
 * or one `first` holds), then both go on. Their results, in that order.
 */
async function oneBehindTheOther(database: PostgresDatabase, lock: [string, unknown[]?], first: () => Promise<CliResult>, second: () => Promise<CliResult>): Promise<[CliResult, CliResult]> {
  const holder = await lockHolder(database);
  await holder.hold(...lock);
  const a = first();
  await holder.waiters(1, [a]);
  const b = second();
  await holder.waiters(2, [a, b]);
  await holder.release();
  return Promise.all([a, b]);
}

/**
 * Deadlocks the server found in this database. A session's counts reach pg_stat_database when it
 * ends, before it leaves pg_stat_activity: so this waits until no other client session is left.
 */
async function deadlocks(database: PostgresDatabase): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    for (;;) {
      await client.query('select pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      if (Number(rows[0].n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ deadlocks: string }>('select deadlocks from pg_stat_database where datname = current_database()');
    return Number(rows[0].deadlocks);
  } finally {
    await client.end();
  }
}

const ticketStatus = async (database: PostgresDatabase, codes: string[]) =>
  Object.fromEntries((await database.query<{ code: string; status: string }>('select code, status from tickets where code = any($1)', [codes])).map((t) => [t.code, t.status]));
const orderStatus = async (database: PostgresDatabase, code: string) => (await database.query<{ status: string }>('select status from orders where code = $1', [code]))[0].status;
const refundedOn = async (database: PostgresDatabase, code: string) =>
  Number((await database.query<{ n: string }>(`select coalesce(sum(p.amount), 0) as n from payments p join orders o on o.id = p.order_id where o.code = $1 and p.kind = 'refund'`, [code]))[0].n);

describe.runIf(hasPostgres)(`PostgreSQL: races around a sale${postgresNote}`, () => {
  it('a sale and its replay (one idempotency key, --send) at once: one tickets mail, queued and sent once', async () => {
    const { database, event, run } = await boxOffice();
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const mailEnv = { BOXOFFICE_SMTP_URL: smtp.url, BOXOFFICE_SMTP_FROM: 'Box Office <tickets@theatre.example>' };
    const args = ['sell', event, '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--email', 'kim@example.com', '--send', '--idempotency-key', 'till-2-0042'];
    // Writing to the mail queue waits (reading it does not): the first has sold and is about to
    // queue its mail when its terminal retries the same sale.
    const [a, b] = await oneBehindTheOther(
      database,
      ['lock table mail_queue in share mode'],
      () => run(args, mailEnv),
      () => run(args, mailEnv),
    );
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect([a.json.replayed, b.json.replayed]).toEqual([false, true]);
    expect(b.json.code).toBe(a.json.code);
    const mails = await database.query<{ id: string }>(`select m.id from mail_queue m join orders o on o.id = m.order_id where o.code = $1`, [a.json.code]);
    expect(mails).toHaveLength(1);
    expect([a.json.mail.id, b.json.mail.id]).toEqual([Number(mails[0].id), Number(mails[0].id)]);
    expect(smtp.messages.map((m) => m.mail.messageId)).toEqual([a.json.mail.messageId]);
  });

  it('a scan that commits first: the refund of its order then refuses (ticket_used), as it would after the scan', async () => {
    const { database, event, run, sell } = await boxOffice();
    const order = await sell('A-3,A-4');
    const [scanned, other] = order.tickets;
    // The refund reads both tickets valid, then waits behind the scan for the scanned one.
    const [s, r] = await oneBehindTheOther(
      database,
      ['select id from tickets where code = $1 for update', [scanned]],
      () => run(['checkin', scanned, '--gate', '2']),
      () => refundInProcess(database.url, event, order.code),
    );
    expect(s.code, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ verdict: 'admitted', code: scanned });
    expect(r.code, r.stderr).toBe(4);
    expect(errorOf(r)).toMatchObject({ code: 'ticket_used', message: `ticket ${scanned} was already used at the door and cannot be refunded` });
    expect(await ticketStatus(database, order.tickets)).toEqual({ [scanned]: 'used', [other]: 'valid' });
    expect(await orderStatus(database, order.code)).toBe('paid');
    expect(await refundedOn(database, order.code)).toBe(0);
  });

  it('a refund that commits while a scan of its ticket is under way: the scan is told the ticket is void, never admitted', async () => {
    const { database, event, run, sell } = await boxOffice();
    const order = await sell('A-5,A-6');
    const [scanned] = order.tickets;
    // The scan has read its ticket (valid) and waits for the event's row, as it does behind a cancel.
    const holder = await lockHolder(database);
    await holder.hold('select id from events where id = $1 for update', [event]);
    const scan = run(['checkin', scanned, '--gate', '1']);
    await holder.waiters(1, [scan]);
    const refund = await run(['order', 'refund', order.code, '--yes']);
    expect(refund.code, refund.stderr).toBe(0);
    expect(refund.json.status).toBe('refunded');
    await holder.release();
    const s = await scan;
    expect(s.code, s.stdout).toBe(4);
    expect(errorOf(s)).toMatchObject({ code: 'ticket_void', message: `ticket ${scanned} is void (refunded or replaced)` });
    expect(await database.query('select * from checkins')).toEqual([]);
    expect(Object.values(await ticketStatus(database, order.tickets))).toEqual(['void', 'void']);
    expect(await refundedOn(database, order.code)).toBe(5000);
  });

  it('a scan and `event cancel --refund` at once wait for each other: no deadlock, the scanned ticket kept and the rest refunded', async () => {
    const { database, event, run, sell } = await boxOffice();
    const order = await sell('A-7,A-8');
    const [scanned, other] = order.tickets;
    const before = await deadlocks(database);
    // The scan has marked its ticket used and waits to record the check-in when the cancel starts.
    const [s, c] = await oneBehindTheOther(
      database,
      ['lock table checkins in share mode'],
      () => run(['checkin', scanned]),
      () => run(['event', 'cancel', event, '--refund', '--yes']),
    );
    expect(s.code, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ verdict: 'admitted', code: scanned });
    expect(c.code, c.stderr).toBe(0);
    // What cancelling after the scan gives: the used ticket is kept, the other one refunded.
    expect(c.json.refunded).toEqual([{ code: order.code, amount: 2500, currency: 'EUR' }]);
    expect(await ticketStatus(database, order.tickets)).toEqual({ [scanned]: 'used', [other]: 'void' });
    expect(await orderStatus(database, order.code)).toBe('partially_refunded');
    expect(await refundedOn(database, order.code)).toBe(2500);
    expect(await deadlocks(database)).toBe(before);
  });

  it('a reissue and `event cancel --refund` at once wait for each other: no deadlock, the new ticket refunded with the order', async () => {
    const { database, event, run, sell } = await boxOffice();
    const order = await sell('A-9,A-10');
    const [lost, other] = order.tickets;
    const before = await deadlocks(database);
    // The reissue waits for its order's row (as behind a refund under way) when the cancel starts.
    const [r, c] = await oneBehindTheOther(
      database,
      ['select id from orders where code = $1 for update', [order.code]],
      () => run(['tickets', 'reissue', lost]),
      () => run(['event', 'cancel', event, '--refund', '--yes']),
    );
    expect(r.code, r.stderr).toBe(0);
    const fresh = r.json.code as string;
    expect(r.json.old).toBe(lost);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.refunded).toEqual([{ code: order.code, amount: 5000, currency: 'EUR' }]);
    expect(await ticketStatus(database, [lost, other, fresh])).toEqual({ [lost]: 'void', [other]: 'void', [fresh]: 'void' });
    expect(await orderStatus(database, order.code)).toBe('refunded');
    expect(await database.query(`select c.status from seat_claims c join tickets t on t.id = c.ticket_id where t.order_id = (select id from orders where code = $1)`, [order.code])).toEqual([]);
    const door = await run(['checkin', fresh]);
    expect([door.code, errorOf(door).code]).toEqual([4, 'ticket_void']);
    expect(await deadlocks(database)).toBe(before);
  });

  it('a sale without a name creates the customer while one naming them waits: the name fills it', async () => {
    const { database, event, run } = await boxOffice();
    const customer = () => database.query<{ name: string | null }>(`select name from customers where email_key = 'ana@example.com'`);
    // The nameless sale has created the customer and waits to finish (its idempotency key); the
    // named one then waits for it on the customer's email.
    const [a, b] = await oneBehindTheOther(
      database,
      ['lock table idempotency_keys in share mode'],
      () => run(['sell', event, '--seats', 'A-11', '--tier', 'Adult', '--pay', 'cash', '--email', 'ana@example.com']),
      () => run(['sell', event, '--seats', 'A-12', '--tier', 'Adult', '--pay', 'cash', '--email', 'ANA@example.com', '--name', 'Ana Lima']),
    );
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await customer()).toEqual([{ name: 'Ana Lima' }]);
    expect(b.json.customer).toMatchObject({ id: a.json.customer.id, name: 'Ana Lima' });
  });

  it('two sales naming one nameless customer at once: the first name committed stays, as one after the other', async () => {
    const { database, event, run, sell } = await boxOffice();
    await sell('A-13', ['--email', 'bea@example.com']);
    const customer = () => database.query<{ name: string | null }>(`select name from customers where email_key = 'bea@example.com'`);
    expect(await customer()).toEqual([{ name: null }]);
    // The first has named the customer and waits to finish; the second reads them still nameless
    // and waits for the first's row lock to name them.
    const [a, b] = await oneBehindTheOther(
      database,
      ['lock table idempotency_keys in share mode'],
      () => run(['sell', event, '--seats', 'A-14', '--tier', 'Adult', '--pay', 'cash', '--email', 'bea@example.com', '--name', 'Beatriz Sá']),
      () => run(['sell', event, '--seats', 'A-15', '--tier', 'Adult', '--pay', 'cash', '--email', 'bea@example.com', '--name', 'Bea']),
    );
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await customer()).toEqual([{ name: 'Beatriz Sá' }]);
    expect(b.json.customer.name).toBe('Beatriz Sá');
    // The name on the second order's tickets is still the one it was sold with.
    expect(b.json.holderName).toBe('Bea');
  });
});
