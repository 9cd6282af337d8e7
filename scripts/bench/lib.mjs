// Shared pieces for the benchmarks: timing, medians, a fresh seeded database, markdown output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'boxoffice');
export const dist = (p) => path.join(ROOT, 'dist', p);

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export function tempFile(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-bench-'));
  return path.join(dir, name);
}

/** A database with one venue of `rows` × `seatsPerRow` reserved seats and one event on sale. */
export async function seededDatabase({ rows = 26, seatsPerRow = 100, file = tempFile('bench.db') } = {}) {
  const { openDatabase } = await import(dist('db/connection.js'));
  const { SINGLE_USER } = await import(dist('core/staff/permissions.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const { addVenue, generateReservedBlock } = await import(dist('core/venues/venues.js'));
  const { addEvent, publishEvent } = await import(dist('core/events/events.js'));
  const { setPrice } = await import(dist('core/events/tiers.js'));
  const handle = await openDatabase(file, { create: true });
  const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'bench' };
  await addVenue(ctx, { name: 'Arena', city: 'Lisbon' });
  const letters = (n) => {
    let s = '';
    for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  await generateReservedBlock(ctx, 'Arena', { section: 'Bowl', rows: `A-${letters(rows - 1)}`, seats: `1-${seatsPerRow}` });
  const event = await addEvent(ctx, { name: 'Final', venue: 'Arena', starts: '2027-06-01T20:00' });
  await setPrice(ctx, String(event.id), { tier: 'Adult', price: '30' });
  await publishEvent(ctx, String(event.id));
  await handle.close();
  return { file, eventId: String(event.id), rowLabel: letters };
}

export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export const fmt = (n, digits = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const PROBE = path.join(ROOT, 'scripts', 'lib', 'max-rss.mjs');

/**
 * Runs `node [nodeArgs] script args` in a child process with the max-RSS probe preloaded; returns
 * its wall time (s), peak resident memory (MiB, getrusage maxRSS), stdout and stderr. Throws on a
 * non-zero exit.
 */
export async function measuredNode(script, args = [], { env = {}, nodeArgs = [], input } = {}) {
  const { spawnSync } = await import('node:child_process');
  const report = tempFile('rss.json');
  const started = performance.now();
  const res = spawnSync(process.execPath, ['--import', PROBE, ...nodeArgs, script, ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 1 << 30,
    env: { PATH: process.env.PATH ?? '', HOME: path.dirname(report), ...env, BOXOFFICE_RSS_REPORT: report },
  });
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 0) throw new Error(`node ${path.basename(script)} ${args.join(' ')} failed (${res.status ?? res.signal}): ${res.stderr}`);
  const { maxRssKiB } = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(path.dirname(report), { recursive: true, force: true });
  return { seconds, peakRssMiB: maxRssKiB / 1024, stdout: res.stdout, stderr: res.stderr };
}

/** Wall time (ms) of one child process, which must exit 0. */
export async function timedSpawn(command, args, options = {}) {
  const { spawnSync } = await import('node:child_process');
  const started = performance.now();
  const res = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const ms = performance.now() - started;
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.status ?? res.signal}): ${res.stderr}`);
  return { ms, stdout: res.stdout, stderr: res.stderr };
}

/**
 * "target ≤ 1.5×: met" or "target ≤ 1.5×: **missed** by 20 %", so misses are plain in the tables.
 * `min`: the value must be at least the limit (throughput); otherwise at most (time, memory).
 */
export function check(value, limit, { min = false, unit = '', digits = 0 } = {}) {
  const ok = min ? value >= limit : value <= limit;
  const by = min ? 1 - value / limit : value / limit - 1;
  return `target ${min ? '≥' : '≤'} ${fmt(limit, digits)}${unit}: ${ok ? 'met' : `**missed** by ${fmt(by * 100)} %`}`;
}
