// A box-office terminal in its own OS process: sells seats of one event from one database (a
// SQLite file or a postgres:// URL) through the compiled core (dist/), as fast as it can, and
// reports what happened.
//
// Usage: node test/workers/seller.mjs '<json config>'
//   config.db       database file or postgres:// URL (already created and seeded)
//   config.event    event id or name
//   config.worker   a label; also the orders' channel, so the test can see who sold what
//   config.seed     seed for the deterministic random choices (failures can be replayed)
//   config.mode     'rounds': wait for "go" on stdin, make `attempts` attempts, print one JSON report
//                   'loop':   sell until killed, printing one JSON line per finished step
//   config.attempts number of attempts in 'rounds' mode
//   config.pool     seat references that named-seat sales choose from (e.g. ["A-6", "A-7", …])
//   config.mix      weights of the actions: { named, best, hold, holdOnly, refund, ga, checkin }
//                   (ga: 1-2 general-admission places; checkin: scans every ticket of one of this
//                   worker's paid orders, which is then no longer refunded)
//   config.clock    { at: ISO } a clock standing at that instant, or { moved: ISO } one running
//                   from it at the real pace; default the system clock. Terminals whose clocks
//                   disagree decide hold expiry differently: the database must still agree.
//   config.once     ('once' mode) one request after "go": { op: 'pay', code, key?, payment? },
//                   { op: 'expire' }, { op: 'sell', seats|best|quantity, key? }, { op: 'checkin', code },
//                   { op: 'refund', code, amount? }, { op: 'holds', seats: ['A-1', …], minutes } or
//                   { op: 'payEach', codes } (each code's answer, refusals included); prints { result } or { error }, and exits
//                   with the code the CLI would (0, or the error's exit code)
//   config.dieBefore  ('loop' mode) once `dieAfterSales` sales are done, SIGKILL this process just
//                   before the next SQL statement that starts with this text, e.g. `commit` or
//                   `insert into "seat_claims"`: a crash at a chosen point inside a write transaction
//                   (from then on it only sells: `armedMix`, default named and best-available);
//                   SQLite (its prepared statements) or PostgreSQL (pg.Client#query)
//   config.thinkMs  pause up to this many ms between attempts ('rounds' mode), as a clerk would;
//                   without it one process re-takes the write lock before the others wake up
//
// Expected refusals (another terminal got there first) are counted by error code; every other
// error - above all SQLITE_BUSY - is "unexpected" and reported in full.
import { openDatabase } from '../../dist/db/connection.js';
import { sellSeats, holdSeats, payOrder } from '../../dist/core/orders/sale.js';
import { refundOrder } from '../../dist/core/orders/refund.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { ManualClock, MovedClock, systemClock } from '../../dist/core/clock.js';
import { BoxofficeError } from '../../dist/core/errors.js';
import { exitCodeFor } from '../../dist/cli/runtime/exit-codes.js';
import { expireHolds } from '../../dist/core/orders/lifecycle.js';
import { checkIn } from '../../dist/core/tickets/checkin.js';
import { rng } from '../../scripts/seeded-random.mjs';
// Requests arrive as the command line types them (`A-1,A-2`, `15.00`): parsed as it parses them.
import { parseSeatRefs, parseTierSpec } from '../../dist/cli/runtime/parse.js';
import { parseMoney } from '../../dist/core/money.js';

const ADULT = parseTierSpec('Adult');

const config = JSON.parse(process.argv[2]);
// Another terminal got there first: the answers a clerk may see in a rush (exit 4 each).
const EXPECTED_REFUSALS = new Set(['seat_unavailable', 'no_adjacent_seats', 'sold_out']);

const random = rng(config.seed ?? 1);
const pick = (list) => list[Math.floor(random() * list.length)];

function choose(mix) {
  const entries = Object.entries(mix).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [name, w] of entries) {
    if ((r -= w) < 0) return name;
  }
  return entries[entries.length - 1][0];
}

function namedSeats(pool) {
  const n = random() < 0.5 ? 1 : 2;
  const chosen = new Set();
  while (chosen.size < n) chosen.add(pick(pool));
  return [...chosen].join(',');
}

function payment() {
  return random() < 0.5 ? { method: 'cash' } : { method: 'card', cardRef: `T${Math.floor(random() * 1e6)}` };
}

function buyer() {
  // A few shared emails, so terminals also race to create the same customer.
  return random() < 0.3 ? { email: `buyer${Math.floor(random() * 3)}@example.com`, name: 'Race Tester' } : {};
}

const seatsOf = (order) => order.tickets.map((t) => t.seat).sort();

function describe(err) {
  return {
    name: err?.name,
    code: err?.code,
    message: String(err?.message ?? err),
    stack:
      err instanceof BoxofficeError
        ? undefined
        : String(err?.stack ?? '')
            .split('\n')
            .slice(0, 6)
            .join('\n'),
  };
}

const handle = await openDatabase(config.db);
let armed = false;
if (config.dieBefore && handle.sqlite) {
  // Every statement the core runs is prepared on this connection (src/db/driver.ts): wrap them.
  const sqlite = handle.sqlite;
  const prepare = sqlite.prepare.bind(sqlite);
  const trap = (sql) => {
    if (armed && sql.startsWith(config.dieBefore)) {
      process.stdout.write(`${JSON.stringify({ dying: sql.slice(0, 80), inTransaction: sqlite.inTransaction })}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  };
  sqlite.prepare = (sql) => {
    const stmt = prepare(sql);
    return {
      reader: stmt.reader,
      run: (...args) => (trap(sql), stmt.run(...args)),
      all: (...args) => (trap(sql), stmt.all(...args)),
      get: (...args) => (trap(sql), stmt.get(...args)),
      iterate: (...args) => (trap(sql), stmt.iterate(...args)),
    };
  };
} else if (config.dieBefore) {
  // PostgreSQL: Kysely's driver sends every statement, begin and commit included, through
  // pg.Client#query (the same module the core loaded): wrap it, and track the transaction by the
  // statements that open and end it, per connection.
  const { default: pg } = await import('pg');
  const query = pg.Client.prototype.query;
  const open = new WeakSet();
  pg.Client.prototype.query = function (text, ...rest) {
    const sql = typeof text === 'string' ? text : String(text?.text ?? '');
    if (armed && sql.startsWith(config.dieBefore)) {
      process.stdout.write(`${JSON.stringify({ dying: sql.slice(0, 80), inTransaction: open.has(this) })}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    if (/^(begin|start transaction)\b/i.test(sql)) open.add(this);
    else if (/^(commit|rollback)\b/i.test(sql)) open.delete(this);
    return query.call(this, text, ...rest);
  };
}
const clock = config.clock?.at ? new ManualClock(config.clock.at) : config.clock?.moved ? new MovedClock(new Date(config.clock.moved)) : systemClock;
const ctx = { db: handle.db, clock, actor: SINGLE_USER, channel: config.worker };
const mix = config.mix ?? { named: 45, best: 30, hold: 10, refund: 15 };
const pool = config.pool;

const sales = [];
const refunded = [];
const held = [];
const refusals = {};
const unexpected = [];
const live = []; // codes of this worker's paid, unrefunded orders
const checkedIn = []; // ticket codes this worker admitted
const liveTickets = new Map(); // order code -> its ticket codes

/** One attempt; returns a line describing what happened (printed in 'loop' mode). */
async function step() {
  let action = choose(armed ? (config.armedMix ?? { named: 1, best: 1 }) : mix);
  if ((action === 'refund' || action === 'checkin') && live.length === 0) action = 'named';
  try {
    if (action === 'checkin') {
      const code = live.splice(Math.floor(random() * live.length), 1)[0];
      for (const ticket of liveTickets.get(code)) {
        const admission = await checkIn(ctx, { code: ticket, event: config.event, gate: config.worker });
        checkedIn.push(admission.code);
      }
      return { checkedIn: code };
    }
    if (action === 'refund') {
      const code = live.splice(Math.floor(random() * live.length), 1)[0];
      const order = await refundOrder(ctx, { code, reason: 'race test' });
      if (order.status !== 'refunded') throw new Error(`refund of ${code} left it ${order.status}`);
      refunded.push(code);
      return { refunded: code };
    }
    let order;
    if (action === 'named') {
      order = await sellSeats(ctx, { event: config.event, seats: parseSeatRefs(namedSeats(pool)), tier: ADULT, payment: payment(), ...buyer() });
    } else if (action === 'ga') {
      order = await sellSeats(ctx, { event: config.event, quantity: random() < 0.5 ? 1 : 2, tier: ADULT, payment: payment(), ...buyer() });
    } else if (action === 'best') {
      order = await sellSeats(ctx, { event: config.event, best: 2, tier: parseTierSpec('Adult=1,Child=1'), payment: payment(), ...buyer() });
    } else if (action === 'hold' || action === 'holdOnly') {
      const where = random() < 0.5 ? { seats: parseSeatRefs(namedSeats(pool)) } : { best: 2 };
      const hold = await holdSeats(ctx, { event: config.event, ...where, tier: ADULT, minutes: 15 });
      if (action === 'holdOnly') {
        // Left pending on purpose: a hold that outlives its terminal.
        held.push({ code: hold.code, seats: seatsOf(hold) });
        return { held: hold.code, seats: seatsOf(hold) };
      }
      order = await payOrder(ctx, { code: hold.code, payment: payment(), ...buyer() });
    }
    if (order.status !== 'paid') throw new Error(`sale ${order.code} came back ${order.status}`);
    const sale = { code: order.code, seats: seatsOf(order), tickets: order.tickets.length, via: action };
    sales.push(sale);
    live.push(order.code);
    liveTickets.set(
      order.code,
      order.tickets.map((t) => t.code),
    );
    return { sold: sale.code, seats: sale.seats };
  } catch (err) {
    if (err instanceof BoxofficeError && EXPECTED_REFUSALS.has(err.code)) {
      refusals[err.code] = (refusals[err.code] ?? 0) + 1;
      return { refused: err.code };
    }
    const d = { action, ...describe(err) };
    unexpected.push(d);
    return { unexpected: d };
  }
}

/** 'once' mode: the one request config.once names. */
async function once(request) {
  const payWith = request.payment ?? { method: 'cash' };
  if (request.op === 'pay') return payOrder(ctx, { code: request.code, payment: payWith, idempotencyKey: request.key });
  if (request.op === 'holds') {
    const codes = [];
    for (const seats of request.seats) codes.push((await holdSeats(ctx, { event: config.event, seats: parseSeatRefs(seats), tier: ADULT, minutes: request.minutes })).code);
    return codes;
  }
  if (request.op === 'payEach') {
    // One payment per code, one after another; each answer kept (a refusal is an answer).
    const answers = [];
    for (const code of request.codes) {
      try {
        answers.push({ code, status: (await payOrder(ctx, { code, payment: payWith })).status });
      } catch (err) {
        if (!(err instanceof BoxofficeError)) throw err;
        answers.push({ code, refused: err.code, exitCode: exitCodeFor(err) });
      }
    }
    return answers;
  }
  if (request.op === 'expire') return expireHolds(ctx);
  if (request.op === 'sell') {
    const { seats, best, quantity, key } = request;
    return sellSeats(ctx, { event: config.event, seats: seats === undefined ? undefined : parseSeatRefs(seats), best, quantity, tier: ADULT, payment: payWith, idempotencyKey: key });
  }
  if (request.op === 'checkin') return checkIn(ctx, { code: request.code, gate: config.worker });
  if (request.op === 'refund')
    return refundOrder(ctx, { code: request.code, amount: request.amount === undefined ? undefined : parseMoney(request.amount, 'EUR', 'refund amount'), reason: 'race test' });
  throw new Error(`unknown op ${request.op}`);
}

if (config.mode === 'once') {
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  let exitCode = 0;
  try {
    process.stdout.write(`${JSON.stringify({ result: await once(config.once) })}\n`);
  } catch (err) {
    exitCode = exitCodeFor(err);
    process.stdout.write(`${JSON.stringify({ error: describe(err), exitCode })}\n`);
  }
  await handle.close();
  process.exit(exitCode);
} else if (config.mode === 'loop') {
  // Sell until SIGKILL; one line per step, written synchronously so the parent sees it at once.
  for (;;) {
    const line = await step();
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (config.dieBefore && sales.length >= config.dieAfterSales) armed = true;
  }
} else {
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const startedAt = Date.now();
  for (let i = 0; i < config.attempts; i++) {
    await step();
    if (config.thinkMs) await new Promise((resolve) => setTimeout(resolve, random() * config.thinkMs));
  }
  const finishedAt = Date.now();
  await handle.close();
  process.stdout.write(`${JSON.stringify({ report: { worker: config.worker, sales, refunded, held, checkedIn, refusals, unexpected, startedAt, finishedAt } })}\n`);
}
