// One box-office terminal in its own OS process for the concurrency benchmark: sells pairs of
// seats of one event through the compiled core (dist/) as fast as it can, timing every attempt.
//
//   node scripts/bench/seller-worker.mjs '<json>'   config: { db, event, worker, seed, sales, maxAttempts, pairs: [["A-1","A-2"], …], warmup?: { event, seats: ["A-1,A-2", …] } }
// Prints {"ready":true}, waits for a line on stdin, sells until it has `sales` sales (or made
// `maxAttempts` attempts), then prints one JSON report. A seat another process sold first is an
// expected refusal; every other error (SQLITE_BUSY above all) is reported as unexpected.
import { openDatabase } from '../../dist/db/connection.js';
import { sellSeats } from '../../dist/core/orders/sale.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { systemClock } from '../../dist/core/clock.js';
import { BoxofficeError } from '../../dist/core/errors.js';

const config = JSON.parse(process.argv[2]);

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(config.seed);

const handle = await openDatabase(config.db);
const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: config.worker };
// Sales on another event warm the code paths, as on a terminal that has been open a while.
for (const seats of config.warmup?.seats ?? []) await sellSeats(ctx, { event: config.warmup.event, seats, tier: 'Adult', payment: { method: 'cash' } });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();

const sales = [];
const latencies = [];
let refused = 0;
const unexpected = [];
const now = () => performance.timeOrigin + performance.now();
const startedAt = now();
const cpu0 = process.cpuUsage();
for (let attempt = 0; sales.length < config.sales && attempt < config.maxAttempts; attempt++) {
  const pair = config.pairs[Math.floor(random() * config.pairs.length)];
  const t0 = performance.now();
  try {
    const order = await sellSeats(ctx, { event: config.event, seats: pair.join(','), tier: 'Adult', payment: { method: 'cash', tendered: '100' } });
    latencies.push(performance.now() - t0);
    if (order.status !== 'paid') throw new Error(`sale ${order.code} came back ${order.status}`);
    sales.push({ code: order.code, seats: order.tickets.map((t) => t.seat).sort() });
  } catch (err) {
    latencies.push(performance.now() - t0);
    if (err instanceof BoxofficeError && err.code === 'seat_unavailable') refused++;
    else unexpected.push({ code: err?.code, message: String(err?.message ?? err).slice(0, 300) });
  }
}
const finishedAt = now();
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
await handle.close();
process.stdout.write(`${JSON.stringify({ report: { worker: config.worker, sales, refused, unexpected, latencies, startedAt, finishedAt, cpuMs } })}\n`);
