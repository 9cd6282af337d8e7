// A terminal killed mid-sale (SIGKILL: no cleanup, no rollback of its own) must leave no half-made
// order behind, and the box office must keep selling. SPEC: "A seat can never be sold twice —
// … not by a crash mid-sale"; every state change and its outbox events commit together or not at all.
//
// Runs against the compiled code in dist/ (npm run build first). Set RACE_SEED to replay a run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers/cli.js';
import { openCore, seedGala } from './helpers/core.js';
import { generateReservedBlock } from '../src/core/venues/venues.js';
import { checkDatabaseAt, soldOrdersAt, startSeller, type Exit, type Report, type SellerConfig } from './workers/harness.js';
import { onPostgres } from './helpers/db.js';

const ROUNDS = 4;
const SALES_BEFORE_KILL = 20;
const POOL = ['A', 'B', 'C'].flatMap((row) => Array.from({ length: 10 }, (_, i) => `${row}-${i + 6}`));
const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const _sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Killed {
  worker: string;
  exit: Exit;
  lines: any[];
}

/**
 * Starts a seller in a tight loop. With `delayMs`, this test SIGKILLs it that many ms after its
 * `SALES_BEFORE_KILL`th sale; with `config.dieBefore`, it SIGKILLs itself at that statement.
 */
function sellThenDie(config: SellerConfig, delayMs?: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    let sales = 0;
    let killing = false;
    const seller = startSeller(config, (line) => {
      if (line.dying) killing = true;
      if (delayMs !== undefined && line.sold && ++sales === SALES_BEFORE_KILL && !killing) {
        killing = true;
        setTimeout(() => seller.child.kill('SIGKILL'), delayMs);
      }
    });
    const timer = setTimeout(() => seller.child.kill('SIGKILL'), 20_000);
    seller.exited.then((exit) => {
      clearTimeout(timer);
      if (!killing) reject(new Error(`${config.worker} was not killed as planned (${exit.code ?? exit.signal}): ${exit.stderr}\n${JSON.stringify(seller.lines.slice(-5))}`));
      else resolve({ worker: config.worker, exit, lines: seller.lines });
    });
  });
}

// Where the self-killing sellers die, one per round, inside a sale's write transaction: before it
// takes the money, before it claims the seats for the tickets it issued, before its outbox events,
// and at the very last moment before it commits.
const DIE_BEFORE = ['insert into "payments"', 'insert into "seat_claims"', 'insert into "outbox"', 'commit'];

describe('a seller killed with SIGKILL mid-run', () => {
  it(`${ROUNDS} rounds of 2 sellers killed mid-sale: database intact, no half-made order, selling goes on`, async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/core/orders/sale.js')), 'run `npm run build` first').toBe(true);
    const fx = await openCore();
    const { eventId } = await seedGala(fx.ctx);
    // More rows behind the Gala's ten: faster sellers sell more before they are killed, and the
    // fresh sellers at the end still need adjacent pairs.
    await generateReservedBlock(fx.ctx, 'Main Hall', { section: 'Stalls', rows: 'K-Z', seats: '1-20' });
    // A file, or on PostgreSQL the database's URL (test/helpers/db.ts).
    const file = fx.target;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-crash-home-'));
    // Only the sellers have the file open: after a kill, the next process opens it cold and must
    // recover the write-ahead log on its own. (PostgreSQL rolls back a killed client's transaction.)
    await fx.handle.close();
    cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));

    const context = `RACE_SEED=${BASE_SEED}`;
    const killed: Killed[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Seller 0 is killed from outside at a random moment; seller 1 kills itself at a chosen
      // statement inside a write transaction. They sell against each other meanwhile.
      const victims = Array.from({ length: 2 }, (_, i) => {
        const seed = BASE_SEED + round * 10 + i;
        const config: SellerConfig = {
          db: file,
          event: eventId,
          worker: `r${round}s${i}`,
          seed,
          mode: 'loop',
          pool: POOL,
          mix: { named: 35, best: 20, hold: 15, holdOnly: 5, refund: 25 },
        };
        if (i === 0) return sellThenDie(config, (seed * 7919) % 30);
        return sellThenDie({ ...config, dieBefore: DIE_BEFORE[round % DIE_BEFORE.length], dieAfterSales: SALES_BEFORE_KILL });
      });
      const dead = await Promise.all(victims);
      for (const d of dead) {
        // Killed, not crashed on its own; and nothing but expected refusals on the way.
        expect(d.exit.signal, `${context}: ${d.worker} ${d.exit.stderr}`).toBe('SIGKILL');
        expect(
          d.lines.filter((l) => l.unexpected || l.garbage),
          `${context}: ${d.worker}`,
        ).toEqual([]);
        expect(d.lines.filter((l) => l.sold).length, `${context}: ${d.worker}`).toBeGreaterThanOrEqual(SALES_BEFORE_KILL);
      }
      const dying = dead[1].lines.find((l) => l.dying);
      expect(dying, `${context}: ${dead[1].worker} did not die where planned`).toMatchObject({ inTransaction: true });
      expect(dying.dying.startsWith(DIE_BEFORE[round % DIE_BEFORE.length])).toBe(true);
      killed.push(...dead);
      // Checked after every round, before anyone else touches the file.
      const { violations, stats } = await checkDatabaseAt(file);
      expect(violations, `${context}: after round ${round}: ${JSON.stringify(stats)}`).toEqual({});
      if (!onPostgres) expect(stats.integrity).toBe('ok');
    }

    // Every sale a seller printed (after its commit) is still there; so is every refund it printed.
    const { orders } = await soldOrdersAt(file);
    const status = new Map(orders.map((o) => [o.code, o.status]));
    const reportedSales = killed.flatMap((k) => k.lines.filter((l) => l.sold).map((l) => l.sold as string));
    const reportedRefunds = new Set(killed.flatMap((k) => k.lines.filter((l) => l.refunded).map((l) => l.refunded as string)));
    const reportedHolds = killed.flatMap((k) => k.lines.filter((l) => l.held).map((l) => l.held as string));
    expect(reportedSales.length).toBeGreaterThanOrEqual(ROUNDS * 2 * SALES_BEFORE_KILL);
    expect(reportedRefunds.size, `${context}: the run should refund too`).toBeGreaterThan(0);
    for (const code of reportedSales) {
      if (reportedRefunds.has(code)) expect(status.get(code), `${context}: acknowledged sale ${code}`).toBe('refunded');
      else expect(['paid', 'refunded'], `${context}: acknowledged sale ${code}`).toContain(status.get(code));
    }
    for (const code of reportedRefunds) expect(status.get(code), `${context}: acknowledged refund ${code}`).toBe('refunded');
    for (const code of reportedHolds) expect(status.get(code), `${context}: acknowledged hold ${code}`).toBe('pending');
    // A kill can land after a commit and before its line was printed: the database may hold one
    // unreported order or refund per killed process, never more.
    const reported = new Set([...reportedSales, ...reportedHolds]);
    const unreportedOrders = orders.filter((o) => !reported.has(o.code));
    const unreportedRefunds = orders.filter((o) => o.status === 'refunded' && !reportedRefunds.has(o.code) && reported.has(o.code));
    expect(unreportedOrders.length + unreportedRefunds.length, `${context}: ${JSON.stringify({ unreportedOrders, unreportedRefunds })}`).toBeLessThanOrEqual(killed.length);

    // A fresh process opens the file and sells.
    const fresh = startSeller({ db: file, event: eventId, worker: 'fresh', seed: BASE_SEED + 999, mode: 'rounds', attempts: 4, pool: POOL, mix: { best: 1 } });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (fresh.lines.some((l) => l.ready)) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
      fresh.exited.then(() => (clearInterval(timer), resolve()));
    });
    fresh.child.stdin.write('go\n');
    const exit = await fresh.exited;
    expect(exit.code, exit.stderr).toBe(0);
    const report: Report = fresh.lines.find((l) => l.report)?.report;
    expect(report.unexpected, context).toEqual([]);
    expect(report.sales.length, `${context}: ${JSON.stringify(report)}`).toBe(4);
    // ... and so does the real CLI.
    const cli = spawnSync(process.execPath, [BIN, 'sell', eventId, '--best', '2', '--tier', 'Adult', '--pay', 'cash', '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home, BOXOFFICE_DB: file },
    });
    expect(cli.status, cli.stderr).toBe(0);
    const cliOrder = JSON.parse(cli.stdout);
    expect(cliOrder.status).toBe('paid');
    report.sales.push({ code: cliOrder.code, seats: cliOrder.tickets.map((t: { seat: string }) => t.seat).sort(), tickets: 2, via: 'cli' });
    const after = await soldOrdersAt(file);
    for (const s of report.sales) expect(after.seatsByOrder.get(s.code)).toEqual(s.seats);
    const { violations, stats } = await checkDatabaseAt(file);
    expect(violations, `${context}: at the end: ${JSON.stringify(stats)}`).toEqual({});
  });
});
