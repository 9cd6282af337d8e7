// What every seller process of the multi-process benchmarks shares, whatever sells (the core in
// seller-worker.mjs, hand-written `pg` in pg-raw-worker.mjs): the same requests from the same
// seeded random sequence, the start signal, the timing and the report.
//
// config: { event, worker, seed, sales, maxAttempts, pairs: [["A-1","A-2"], …], bestShare?,
//           warmup?: { event, seats: ["A-1,A-2", …] } }
// Each attempt asks, with probability `bestShare` (default 0), for the best 2 seats
// (`{ event, best: 2 }`), else for a pair of named seats picked at random from `pairs`
// (`{ event, seats: "A-1,A-2" }`). Warm-up requests on `warmup.event` go before the start, mixed
// the same way. Prints {"ready":true}, waits for a line on stdin, sells until it has `sales` sales
// (or made `maxAttempts` attempts), then prints one JSON report.
import { rng } from '../seeded-random.mjs';

const describe = (err) => ({ code: err?.code, message: String(err?.message ?? err).slice(0, 300) });

/**
 * Runs one seller. `sell(request)` makes one sale and resolves to `{ code, seats }` (the order's
 * code and its seat labels, "A-1"), or throws; `isRefusal(err)` says whether a throw is the
 * expected answer to a seat another process sold first. Every other throw is counted as
 * unexpected (never fatal), warm-up ones too: a benchmark of a racy core must report the race.
 */
export async function runSeller(config, { sell, isRefusal, close }) {
  const random = rng(config.seed);
  const bestShare = config.bestShare ?? 0;
  const unexpected = [];
  // Sales on another event warm the code paths, as on a terminal that has been open a while.
  for (const seats of config.warmup?.seats ?? []) {
    const request = bestShare && random() < bestShare ? { event: config.warmup.event, best: 2 } : { event: config.warmup.event, seats };
    try {
      await sell(request);
    } catch (err) {
      if (!isRefusal(err)) unexpected.push({ phase: 'warm-up', ...describe(err) });
    }
  }
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();

  const sales = [];
  const latencies = [];
  const saleLatencies = [];
  let refused = 0;
  const now = () => performance.timeOrigin + performance.now();
  const startedAt = now();
  const cpu0 = process.cpuUsage();
  for (let attempt = 0; sales.length < config.sales && attempt < config.maxAttempts; attempt++) {
    const best = bestShare > 0 && random() < bestShare;
    const request = best ? { event: config.event, best: 2 } : { event: config.event, seats: config.pairs[Math.floor(random() * config.pairs.length)].join(',') };
    const t0 = performance.now();
    try {
      const sale = await sell(request);
      const ms = performance.now() - t0;
      latencies.push(ms);
      saleLatencies.push(ms);
      sales.push({ code: sale.code, seats: [...sale.seats].sort() });
    } catch (err) {
      latencies.push(performance.now() - t0);
      if (isRefusal(err)) refused++;
      else unexpected.push(describe(err));
    }
  }
  const finishedAt = now();
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await close();
  process.stdout.write(`${JSON.stringify({ report: { worker: config.worker, sales, refused, unexpected, latencies, saleLatencies, startedAt, finishedAt, cpuMs } })}\n`);
}
