// 4. The TUI seat map: time from a keypress to the next frame on a 20,000-seat section, against
//    the same keys on a 200-seat hall, each in its own process (scripts/bench/tui-worker.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, check, dist, fmt, median, percentile, seededDatabase } from './lib.mjs';

const WORKER = path.join(ROOT, 'scripts', 'bench', 'tui-worker.mjs');
const SIZE = { columns: 110, rows: 32 };

async function prepare() {
  // The stadium section: 100 rows × 200 seats, event "Final".
  const seeded = await seededDatabase({ rows: 100, seatsPerRow: 200 });
  const { openDatabase } = await import(dist('db/connection.js'));
  const { SINGLE_USER } = await import(dist('core/staff/permissions.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const { addVenue, generateReservedBlock } = await import(dist('core/venues/venues.js'));
  const { addEvent, publishEvent } = await import(dist('core/events/events.js'));
  const { setPrice } = await import(dist('core/events/tiers.js'));
  const { sellSeats } = await import(dist('core/orders/sale.js'));
  const handle = await openDatabase(seeded.file);
  const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'bench' };
  // The baseline: a 200-seat hall, event "Gala".
  await addVenue(ctx, { name: 'Hall', city: 'Porto' });
  await generateReservedBlock(ctx, 'Hall', { section: 'Stalls', rows: 'A-J', seats: '1-20' });
  const gala = await addEvent(ctx, { name: 'Gala', venue: 'Hall', starts: '2027-05-01T20:00' });
  await setPrice(ctx, String(gala.id), { tier: 'Adult', price: '30' });
  await publishEvent(ctx, String(gala.id));
  // A few sold seats on both maps, so they are not all one symbol.
  for (const [event, row] of [
    [seeded.eventId, 'A'],
    [String(gala.id), 'A'],
    [seeded.eventId, 'B'],
  ]) {
    await sellSeats(ctx, { event, seats: Array.from({ length: 8 }, (_, i) => ({ row, number: i * 2 + 3 })), tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
  }
  await handle.close();
  return seeded.file;
}

function runWorker(db, event, keys) {
  const res = spawnSync(process.execPath, [WORKER, JSON.stringify({ db, event, keys, ...SIZE })], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) throw new Error(`tui worker (${event}) failed (${res.status ?? res.signal}): ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop());
  return { p50: percentile(out.latencies, 50), p99: percentile(out.latencies, 99), max: Math.max(...out.latencies), seatsDrawn: out.seatsDrawn, frame: out.frame };
}

export async function benchTui({ quick }) {
  const keys = quick ? 40 : 160;
  const runs = quick ? 1 : 3;
  const file = await prepare();
  const big = [];
  const small = [];
  for (let r = 0; r < runs; r++) {
    small.push(runWorker(file, 'Gala', keys));
    big.push(runWorker(file, 'Final', keys));
  }
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const bigFrame = big[0].frame;
  if (!/of 100/.test(bigFrame) || !/of 200/.test(bigFrame)) throw new Error(`the 20,000-seat map is not windowed as expected:\n${bigFrame}`);
  const m = (list, key) => median(list.map((x) => x[key]));
  const bigMax = Math.max(...big.map((x) => x.max));
  return {
    title: '4. TUI seat map: keypress to next frame',
    note:
      `The compiled App (dist/ui) in its own process with React's production build (as \`boxoffice ui\` sets it), rendered by ink-testing-library at ${SIZE.columns}×${SIZE.rows} over a real database file. ` +
      `${keys} arrow/page keys per run, one at a time with a 25 ms pause, each timed from the write to stdin to the next changed frame Ink writes (Ink's own 30 fps throttle is off here; at a real terminal a key after a pause renders at once, its leading edge). ` +
      `Median of ${runs} run(s); max is the worst over all runs. Baseline: the same keys on a 200-seat hall (10 × 20). The big map draws ${fmt(big[0].seatsDrawn)} seats of the 20,000 (a window).`,
    rows: [
      ['200 seats: p50 / p99 / max (baseline)', `${fmt(m(small, 'p50'), 1)} / ${fmt(m(small, 'p99'), 1)} / ${fmt(Math.max(...small.map((x) => x.max)), 1)} ms`],
      ['20,000 seats: p50 / p99 / max', `${fmt(m(big, 'p50'), 1)} / ${fmt(m(big, 'p99'), 1)} / ${fmt(bigMax, 1)} ms`],
      ['20,000 seats: p99', `${fmt(m(big, 'p99'), 1)} ms (${check(m(big, 'p99'), 50, { unit: ' ms' })})`],
      ['20,000 / 200 seats, p50', `${fmt(m(big, 'p50') / m(small, 'p50'), 2)}×`],
    ],
  };
}
