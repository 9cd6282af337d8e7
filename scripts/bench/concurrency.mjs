// 2. Four OS processes selling one event on one database file, against one process doing the
//    same total work: sells/s, every attempt's latency, and a check of the file afterwards (no
//    seat sold twice, every reported sale there exactly as reported, no unexpected error).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { ROOT, check, dist, fmt, median, percentile, seededDatabase } from './lib.mjs';

const WORKER = path.join(ROOT, 'scripts', 'bench', 'seller-worker.mjs');
const ROWS = 100;
const PER_ROW = 100;
// Sales each process makes on another event before the start: a terminal at the window has been
// open a while, and a fresh `node` needs a few hundred calls before V8 has compiled the hot code,
// so one process and four are both measured at their steady pace.
const WARMUP_SALES = 200;

/**
 * A seeded database (lib.mjs; `file` may be a postgres:// URL of an existing, empty database) with
 * a second event at the same venue for the warm-up sales, and every seat pair (A-1,A-2; A-3,A-4; …).
 */
export async function prepare({ rows = ROWS, perRow = PER_ROW, file } = {}) {
  const seeded = await seededDatabase({ rows, seatsPerRow: perRow, file });
  // A second event at the same venue, where each process makes its warm-up sales before the start.
  const { openDatabase } = await import(dist('db/connection.js'));
  const { SINGLE_USER } = await import(dist('core/staff/permissions.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const { addEvent, publishEvent } = await import(dist('core/events/events.js'));
  const { setPrice } = await import(dist('core/events/tiers.js'));
  const handle = await openDatabase(seeded.file);
  const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'bench' };
  const warm = await addEvent(ctx, { name: 'Warm-up', venue: 'Arena', starts: '2027-06-02T20:00' });
  await setPrice(ctx, String(warm.id), { tier: 'Adult', price: '30' });
  await publishEvent(ctx, String(warm.id));
  await handle.close();
  const pairs = [];
  for (let r = 0; r < rows; r++) for (let s = 1; s < perRow; s += 2) pairs.push([`${seeded.rowLabel(r)}-${s}`, `${seeded.rowLabel(r)}-${s + 1}`]);
  return { ...seeded, warmupId: String(warm.id), pairs };
}

/** A seller process (`script`: seller-worker.mjs, the core, by default); `ready` and `report` resolve to its JSON lines. */
export function startWorker(config, script = WORKER) {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  // A process that died before reading its start line must not take this one down with EPIPE.
  child.stdin.on('error', () => {});
  // 'close' comes after the last output has been read ('exit' may come before).
  let closed = false;
  const done = new Promise((resolve) => child.once('close', () => resolve((closed = true))));
  const line = (key) =>
    new Promise((resolve, reject) => {
      const look = () => {
        // Whole lines only: a long report arrives in several chunks.
        const found = out
          .slice(0, out.lastIndexOf('\n') + 1)
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .find((m) => key in m);
        if (found) return resolve(found[key]);
        if (closed) return reject(new Error(`worker ${config.worker} exited ${child.exitCode ?? child.signalCode}: ${err.trim().slice(-1500)}`));
        setTimeout(look, 5);
      };
      look();
    });
  const ready = line('ready');
  const report = line('report');
  // Both are awaited in turn: a process that dies early rejects the report before anyone awaits it.
  report.catch(() => {});
  return { name: config.worker, child, ready, report, done };
}

/**
 * `procs` seller processes (`script`) on one database, sharing `total` sales of `eventId` after
 * `warmupSales` each on `warmupId`, all started together once every one is ready. A process that
 * dies, or is still selling after `deadlineMs` (then killed), is listed in `failed` with why; the
 * others' reports come back either way.
 */
export async function sellTogether({ procs, total, seed, db, eventId, warmupId, pairs, warmupSales = WARMUP_SALES, bestShare = 0, script = WORKER, deadlineMs = 30 * 60_000 }) {
  const per = Math.ceil(total / procs);
  const workers = Array.from({ length: procs }, (_, w) =>
    startWorker(
      {
        db,
        event: eventId,
        worker: `w${w}`,
        seed: seed * 100 + w + 1,
        sales: per,
        maxAttempts: per * 20,
        pairs,
        bestShare,
        warmup: { event: warmupId, seats: pairs.slice(w * warmupSales, (w + 1) * warmupSales).map((p) => p.join(',')) },
      },
      script,
    ),
  );
  const failed = [];
  const killed = new Set();
  const timer = setTimeout(() => {
    for (const w of workers) {
      if (w.child.exitCode !== null || w.child.signalCode !== null) continue;
      killed.add(w);
      w.child.kill();
    }
  }, deadlineMs);
  const settle = (w, key) =>
    w[key].then(
      (value) => ({ value }),
      (err) => (failed.push(killed.has(w) ? `worker ${w.name} still running after ${deadlineMs / 1000} s: killed` : err.message.slice(0, 500)), {}),
    );
  const ready = await Promise.all(workers.map((w) => settle(w, 'ready')));
  const started = workers.filter((_w, i) => 'value' in ready[i]);
  for (const w of started) w.child.stdin.end('go\n');
  const reports = (await Promise.all(started.map((w) => settle(w, 'report')))).filter((r) => 'value' in r).map((r) => r.value);
  await Promise.all(workers.map((w) => w.done));
  clearTimeout(timer);
  return { reports, failed };
}

/** Throughput, latencies and counts from the seller processes' reports. */
export function summarise(reports) {
  const sales = reports.flatMap((r) => r.sales);
  const seconds = (Math.max(...reports.map((r) => r.finishedAt)) - Math.min(...reports.map((r) => r.startedAt))) / 1000;
  const latencies = reports.flatMap((r) => r.latencies);
  const saleLatencies = reports.flatMap((r) => r.saleLatencies);
  const stats = (list) => (list.length ? { p50: percentile(list, 50), p99: percentile(list, 99), max: Math.max(...list) } : { p50: NaN, p99: NaN, max: NaN });
  return {
    sales,
    perSecond: sales.length ? sales.length / seconds : 0,
    perProcess: reports.map((r) => r.sales.length / ((r.finishedAt - r.startedAt) / 1000)),
    refused: reports.reduce((s, r) => s + r.refused, 0),
    cpuPerSale: reports.reduce((s, r) => s + r.cpuMs, 0) / sales.length,
    unexpected: reports.flatMap((r) => r.unexpected),
    attempts: stats(latencies),
    sold: stats(saleLatencies),
  };
}

/** One run: `procs` processes sharing `total` sales; returns throughput, latencies and the DB check. */
async function run(procs, total, seed) {
  const { file, eventId, warmupId, pairs } = await prepare();
  const { reports, failed } = await sellTogether({ procs, total, seed, db: file, eventId, warmupId, pairs });
  if (failed.length) throw new Error(`seller processes failed: ${failed.join('; ')}`);
  const { sales, perSecond, perProcess, refused, cpuPerSale, unexpected, attempts } = summarise(reports);

  // What the file says, read after every process has exited.
  const db = new Sqlite(file, { readonly: true });
  const { doubles, problems } = await checkSales(async (text, params) => db.prepare(text).all(...params), eventId, sales);
  const integrity = db.pragma('integrity_check', { simple: true });
  db.close();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
  return { sales: sales.length, perSecond, perProcess, refused, cpuPerSale, unexpected, doubles, problems, ...attempts };
}

/**
 * Reads back what the sellers reported: seats with more than one valid ticket or claim (double
 * sales), paid orders against reported sales, every reported sale's seats. `query(text, params)`
 * runs SQL with `?` placeholders on either database and resolves to its rows.
 */
export async function checkSales(query, eventId, sales) {
  const event = Number(eventId);
  const doubles = await query("select seat_id from tickets where event_id = ? and status = 'valid' and seat_id is not null group by seat_id having count(*) > 1", [event]);
  const claimDoubles = await query('select seat_id from seat_claims where event_id = ? group by seat_id having count(*) > 1', [event]);
  const [{ n: paid }] = await query("select count(*) n from orders where event_id = ? and status = 'paid'", [event]);
  const sold = await query(
    `select o.code, s.row_label || '-' || s.number seat from tickets t join orders o on o.id = t.order_id join seats s on s.id = t.seat_id
     where t.event_id = ? and t.status = 'valid'`,
    [event],
  );
  const inDb = new Map();
  for (const r of sold) inDb.set(r.code, [...(inDb.get(r.code) ?? []), r.seat]);
  let mismatched = 0;
  for (const s of sales) if ((inDb.get(s.code) ?? []).sort().join(',') !== s.seats.join(',')) mismatched++;
  const problems = [];
  const twice = doubles.length + claimDoubles.length;
  if (twice) problems.push(`${twice} seats sold twice`);
  if (Number(paid) !== sales.length) problems.push(`${paid} paid orders in the database, ${sales.length} reported`);
  if (mismatched) problems.push(`${mismatched} reported sales not in the database as reported`);
  return { doubles: twice, problems };
}

export async function benchConcurrency({ quick }) {
  const total = quick ? 400 : 1600;
  const runs = quick ? 1 : 3;
  const one = [];
  const four = [];
  for (let r = 0; r < runs; r++) {
    one.push(await run(1, total, r));
    four.push(await run(4, total, r));
  }
  const all = [...one, ...four];
  const unexpected = all.flatMap((x) => x.unexpected);
  const problems = all.flatMap((x) => x.problems);
  if (unexpected.length) process.stderr.write(`  unexpected errors: ${JSON.stringify(unexpected.slice(0, 5))}\n`);
  if (problems.length) process.stderr.write(`  database check: ${problems.join('; ')}\n`);
  const m = (list, key) => median(list.map((x) => x[key]));
  const ratio = m(four, 'perSecond') / m(one, 'perSecond');
  const p99 = m(four, 'p99');
  const max = Math.max(...four.map((x) => x.max));
  const perProc = four.flatMap((x) => x.perProcess);
  return {
    title: '2. Four processes selling one event on one file',
    note:
      `${fmt(total)} sales of 2 named seats for cash per run, shared out evenly over 4 OS processes (each a fresh \`node\` importing dist/, ${WARMUP_SALES} warm-up sales on another event first) or all made by 1 process; ` +
      `each process picks seat pairs at random from the same ${fmt((ROWS * PER_ROW) / 2)} pairs, so processes collide on seats and a pair already sold is refused (seat_unavailable, expected) and another tried. ` +
      `Median of ${runs} run(s); max is the worst over all runs. Latency is every attempt (sale or refusal) from call to answer, wait for the write lock included. ` +
      "Afterwards the file is read back: valid tickets and claims per seat, paid orders against reported sales, every sale's seats, integrity_check.",
    rows: [
      ['1 process: sells/s (baseline)', fmt(m(one, 'perSecond'))],
      ['4 processes: sells/s, all together', fmt(m(four, 'perSecond'))],
      ['4 / 1 processes', `${fmt(ratio, 2)}× (${check(ratio, 1, { min: true, unit: '×' })})`],
      ['4 processes: sells/s per process, slowest – fastest', `${fmt(Math.min(...perProc))} – ${fmt(Math.max(...perProc))}`],
      ['1 process: latency p50 / p99 / max', `${fmt(m(one, 'p50'), 1)} / ${fmt(m(one, 'p99'), 1)} / ${fmt(Math.max(...one.map((x) => x.max)), 1)} ms`],
      ['4 processes: latency p50 / p99 / max', `${fmt(m(four, 'p50'), 1)} / ${fmt(p99, 1)} / ${fmt(max, 1)} ms`],
      ['4 processes: p99', `${fmt(p99, 1)} ms (${check(p99, 50, { unit: ' ms' })})`],
      ['4 processes: longest wait', `${fmt(max, 1)} ms (${check(max, 500, { unit: ' ms' })})`],
      ['CPU time per sale, all processes, 1 / 4 processes', `${fmt(m(one, 'cpuPerSale'), 2)} / ${fmt(m(four, 'cpuPerSale'), 2)} ms`],
      ['refused attempts (seat already sold: expected), 1 / 4 processes', `${fmt(m(one, 'refused'))} / ${fmt(m(four, 'refused'))}`],
      ['seats sold twice, all runs', `${all.reduce((s, x) => s + x.doubles, 0)} (target 0: ${all.every((x) => x.doubles === 0) ? 'met' : '**missed**'})`],
      ['unexpected errors, all runs', `${unexpected.length} (target 0: ${unexpected.length === 0 ? 'met' : `**missed**: ${[...new Set(unexpected.map((u) => u.code ?? u.message))].join(', ')}`})`],
      ['file check (paid orders = reported sales, seats as reported, integrity)', problems.length ? `**failed**: ${problems.join('; ')}` : 'ok'],
    ],
  };
}
