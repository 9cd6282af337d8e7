// 8. PostgreSQL: 1, 4 and 8 OS processes selling one event through the core (dist/, ctx on a
//    postgres:// URL), against raw `pg` writing the same rows in one transaction per sale, in the
//    same run with the same requests: sells/s, latency per sale, errors, and a check in SQL
//    afterwards (no seat sold twice, every reported sale there as reported).
//
// The server: BOXOFFICE_BENCH_PG (a URL whose user may create databases), else a throwaway
// cluster of scripts/pg-cluster.mjs with the server's durable defaults, stopped at the end, else
// none and the section says so. Every measurement gets a fresh database, copied from a template
// seeded once through the core; a failing core is counted and reported, never fatal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { findServerBin, startCluster, stopCluster, stopClusterNow } from '../pg-cluster.mjs';
import { checkSales, prepare, sellTogether, summarise } from './concurrency.mjs';
import { ROOT, check, fmt, median } from './lib.mjs';

const TITLE = '8. PostgreSQL: 1, 4 and 8 processes selling one event, core vs raw pg';
const CORE = path.join(ROOT, 'scripts', 'bench', 'seller-worker.mjs');
const RAW = path.join(ROOT, 'scripts', 'bench', 'pg-raw-worker.mjs');
const PROCS = [1, 4, 8];
// Half the requests ask for the best 2 seats, half for 2 named seats picked at random.
const BEST_SHARE = 0.5;

const redact = (url) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:****@');

function withDatabase(server, name) {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `{ url, source, stop }`, or `{ skip }` saying why there is no server. */
async function findServer() {
  const given = process.env.BOXOFFICE_BENCH_PG;
  if (given) {
    try {
      await onServer(given, (c) => c.query('select 1'));
    } catch (err) {
      return { skip: `BOXOFFICE_BENCH_PG=${redact(given)} cannot be reached (${err.message})` };
    }
    return { url: given, source: `the server of BOXOFFICE_BENCH_PG (${redact(given)})`, stop: async () => {} };
  }
  const bin = findServerBin();
  if (!bin) return { skip: "no PostgreSQL server: set BOXOFFICE_BENCH_PG=postgres://… (a user that may create databases) or install Debian's postgresql" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-bench-pg-'));
  // A run that ends early (an exception, Ctrl-C) still stops its server.
  const onExit = () => stopClusterNow(dir);
  const onInterrupt = () => process.exit(130);
  process.once('exit', onExit);
  process.once('SIGINT', onInterrupt);
  const stop = async () => {
    await stopCluster(dir);
    process.off('exit', onExit);
    process.off('SIGINT', onInterrupt);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cluster = await startCluster(dir, { bin, durable: true });
    return { url: cluster.url, source: 'a throwaway cluster (scripts/pg-cluster.mjs, durable defaults)', stop };
  } catch (err) {
    await stop().catch(() => {});
    return { skip: `no BOXOFFICE_BENCH_PG, and a throwaway cluster did not start (${err.message.split('\n')[0]})` };
  }
}

async function serverInfo(url) {
  return onServer(url, async (c) => {
    const show = async (name) => (await c.query(`show ${name}`)).rows[0][name];
    return `PostgreSQL ${await show('server_version')}, fsync ${await show('fsync')}, synchronous_commit ${await show('synchronous_commit')}, shared_buffers ${await show('shared_buffers')}`;
  });
}

const newName = (what) => `boxoffice_bench_${what}_${randomBytes(5).toString('hex')}`;
const dropDatabase = (server, name) => onServer(server, (c) => c.query(`drop database if exists ${name} with (force)`));

/** `?` placeholders (checkSales's SQL is written for both databases) as PostgreSQL's `$1, $2, …`. */
const pgQuery = (client) => async (text, params) => {
  let n = 0;
  return (
    await client.query(
      text.replace(/\?/g, () => `$${++n}`),
      params,
    )
  ).rows;
};

/** One measurement on a fresh copy of the template: `procs` sellers of `kind` ('core' or 'raw'). */
async function measure(server, template, seeded, kind, procs, seed, sizes) {
  const name = newName('run');
  await onServer(server, (c) => c.query(`create database ${name} template ${template}`));
  const db = withDatabase(server, name);
  try {
    const { reports, failed } = await sellTogether({
      procs,
      total: sizes.total,
      seed,
      db,
      eventId: seeded.eventId,
      warmupId: seeded.warmupId,
      pairs: seeded.pairs,
      warmupSales: sizes.warmup,
      bestShare: BEST_SHARE,
      script: kind === 'core' ? CORE : RAW,
      deadlineMs: sizes.deadlineMs,
    });
    const summary = summarise(reports);
    const { doubles, problems } = await onServer(db, (c) => checkSales(pgQuery(c), seeded.eventId, summary.sales));
    return { ...summary, doubles, problems, failed };
  } catch (err) {
    // Counted like a seller that died: the other measurements still run.
    return { ...summarise([]), doubles: 0, problems: [], failed: [`measurement failed: ${err.message.split('\n')[0]}`] };
  } finally {
    await dropDatabase(server, name);
  }
}

/** "12 × 23505 duplicate key value …; 1 × process worker w3 exited 1: …" */
function errorList(errors) {
  const counts = new Map();
  for (const e of errors) {
    const key = [e.phase, e.code, e.message.split('\n')[0].slice(0, 120)].filter(Boolean).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} × ${key.replaceAll('|', '\\|')}`).join('; ');
}

const num = (n, digits = 0) => (Number.isFinite(n) ? fmt(n, digits) : '–');

export async function benchPostgres({ quick }) {
  // A reserved section big enough that best-available never runs out: under half its seats are
  // sold by the end of a measurement.
  const sizes = quick ? { rows: 20, perRow: 50, total: 160, warmup: 10, runs: 1, deadlineMs: 5 * 60_000 } : { rows: 100, perRow: 100, total: 2000, warmup: 100, runs: 3, deadlineMs: 15 * 60_000 };
  const server = await findServer();
  if (server.skip) {
    process.stderr.write(`  PostgreSQL skipped: ${server.skip}\n`);
    return { title: TITLE, note: `Not measured: ${server.skip}.`, rows: [] };
  }
  const template = newName('template');
  try {
    const info = await serverInfo(server.url);
    await onServer(server.url, (c) => c.query(`create database ${template}`));
    let seeded;
    try {
      seeded = await prepare({ rows: sizes.rows, perRow: sizes.perRow, file: withDatabase(server.url, template) });
    } catch (err) {
      process.stderr.write(`  PostgreSQL: setting up through the core failed: ${err.message}\n`);
      return { title: TITLE, note: `Not measured on ${info}: setting up the venue and event through the core failed on PostgreSQL (${err.code ?? ''} ${err.message.split('\n')[0]}).`, rows: [] };
    }
    const results = { core: new Map(), raw: new Map() };
    for (const p of PROCS) for (const kind of ['core', 'raw']) results[kind].set(p, []);
    for (let r = 0; r < sizes.runs; r++) {
      for (const p of PROCS) {
        for (const kind of ['raw', 'core']) {
          process.stderr.write(`  run ${r + 1}/${sizes.runs}, ${kind}, ${p} process${p > 1 ? 'es' : ''}…\n`);
          results[kind].get(p).push(await measure(server.url, template, seeded, kind, p, r, sizes));
        }
      }
    }
    return report(results, sizes, info, server.source);
  } finally {
    await dropDatabase(server.url, template).catch(() => {});
    await server.stop();
  }
}

function report(results, sizes, info, source) {
  const m = (kind, p, pick) => median(results[kind].get(p).map(pick));
  const rate = (kind, p) => m(kind, p, (x) => x.perSecond);
  const all = (kind) => PROCS.flatMap((p) => results[kind].get(p));
  const errors = (kind) => all(kind).flatMap((x) => [...x.unexpected, ...x.failed.map((f) => ({ code: 'process', message: f }))]);
  const doubles = (kind) => all(kind).reduce((s, x) => s + x.doubles, 0);
  const problems = (kind) => [...new Set(all(kind).flatMap((x) => x.problems))];
  const latency = (kind, p) =>
    `${num(
      m(kind, p, (x) => x.sold.p50),
      1,
    )} / ${num(
      m(kind, p, (x) => x.sold.p99),
      1,
    )} / ${num(Math.max(...results[kind].get(p).map((x) => x.sold.max)), 1)} ms`;
  const ratio = (a, b) => (Number.isFinite(a / b) ? a / b : NaN);
  const scale = (kind, p) => ratio(rate(kind, p), rate(kind, 1));
  const target = (value, text) => (Number.isFinite(value) ? text : 'no sales to compare');
  const coreErrors = errors('core');
  const rawErrors = errors('raw');
  const p99at8 = m('core', 8, (x) => x.sold.p99);
  const scaling = ratio(scale('core', 4), scale('raw', 4));
  for (const kind of ['core', 'raw']) {
    if (errors(kind).length) process.stderr.write(`  ${kind} errors: ${errorList(errors(kind)).slice(0, 2000)}\n`);
    if (problems(kind).length) process.stderr.write(`  ${kind} database check: ${problems(kind).join('; ')}\n`);
  }
  return {
    title: TITLE,
    note:
      `${fmt(sizes.total)} sales of 2 seats for cash per measurement, shared out evenly over 1, 4 or 8 OS processes (each a fresh \`node\`, ${sizes.warmup} warm-up sales on another event first), on one event of a ${fmt(sizes.rows * sizes.perRow)}-seat reserved section; ` +
      `each request asks for the best 2 seats available or, as often, for 2 named seats picked at random from the section's ${fmt((sizes.rows * sizes.perRow) / 2)} pairs (a pair already sold is refused, expected, and another asked for). ` +
      'Core: the compiled core (dist/) on the postgres:// URL, `sellSeats()` as the CLI calls it. Raw pg: one client per process writing the same rows (order, 2 tickets, 2 seat claims, payment, idempotency key, 5 outbox rows) with prepared statements in one READ COMMITTED transaction per sale; best available is the first 2 adjacent free seats, FOR UPDATE SKIP LOCKED (scripts/bench/pg-raw-worker.mjs). ' +
      `Raw and core alternate at each process count, each on a fresh database copied from one seeded template; median of ${sizes.runs} run(s), max the worst of all runs. ` +
      'Latency is per sale (call to answer, retries included). Errors are any answer but a sale or the expected refusal, and any seller process that died or hung. ' +
      `Afterwards SQL counts valid tickets and claims per seat and compares paid orders and their seats with what the sellers reported. Server: ${info}; ${source}.`,
    rows: [
      ['raw pg: sells/s, 1 / 4 / 8 processes (baseline)', PROCS.map((p) => num(rate('raw', p))).join(' / ')],
      ['core: sells/s, 1 / 4 / 8 processes', PROCS.map((p) => num(rate('core', p))).join(' / ')],
      ...PROCS.map((p) => {
        const r = ratio(rate('core', p), rate('raw', p));
        return [`core / raw, ${p} process${p > 1 ? 'es' : ''}`, target(r, `${num(r, 2)}× (${check(r, 0.5, { min: true, unit: '×', digits: 1 })})`)];
      }),
      ['4 / 1 processes: raw; core', `${num(scale('raw', 4), 2)}×; ${num(scale('core', 4), 2)}×`],
      ["core's 4 / 1 against raw's 4 / 1", target(scaling, `${num(scaling, 2)}× (${check(scaling, 0.8, { min: true, unit: '×', digits: 1 })})`)],
      ['8 / 1 processes: raw; core', `${num(scale('raw', 8), 2)}×; ${num(scale('core', 8), 2)}×`],
      ...PROCS.map((p) => [`latency per sale p50 / p99 / max, ${p} process${p > 1 ? 'es' : ''}: raw; core`, `${latency('raw', p)}; ${latency('core', p)}`]),
      ['core, 8 processes: p99 per sale', target(p99at8, `${num(p99at8, 1)} ms (target < 100 ms: ${p99at8 < 100 ? 'met' : `**missed** by ${fmt((p99at8 / 100 - 1) * 100)} %`})`)],
      ['refused attempts (named seat already sold: expected), 1 / 4 / 8 processes: raw; core', ['raw', 'core'].map((k) => PROCS.map((p) => num(m(k, p, (x) => x.refused))).join(' / ')).join('; ')],
      ['core: errors, all runs', `${coreErrors.length} (target 0: ${coreErrors.length ? `**missed**: ${errorList(coreErrors)}` : 'met'})`],
      ['core: seats sold twice (SQL), all runs', `${doubles('core')} (target 0: ${doubles('core') ? '**missed**' : 'met'})`],
      ['core: database check (paid orders = reported sales, seats as reported)', problems('core').length ? `**failed**: ${problems('core').join('; ')}` : 'ok'],
      [
        'raw pg: errors; seats sold twice; database check, all runs',
        `${rawErrors.length ? errorList(rawErrors) : '0'}; ${doubles('raw')}; ${problems('raw').length ? `**failed**: ${problems('raw').join('; ')}` : 'ok'}`,
      ],
    ],
  };
}
