// One box-office terminal in its own OS process for the multi-process benchmarks: sells seats of
// one event through the compiled core (dist/) as fast as it can, timing every attempt.
//
//   node scripts/bench/seller-worker.mjs '<json>'   config: { db, …seller-loop.mjs's config }
// `db` is a SQLite file or a postgres:// URL: the core opens either with openDatabase(). A seat
// another process sold first is an expected refusal (seat_unavailable); every other error
// (SQLITE_BUSY, a raw PostgreSQL error, …) is reported as unexpected.
import { openDatabase } from '../../dist/db/connection.js';
import { sellSeats } from '../../dist/core/orders/sale.js';
import { parseSeatRefs } from '../../dist/cli/runtime/parse.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { systemClock } from '../../dist/core/clock.js';
import { BoxofficeError } from '../../dist/core/errors.js';
import { runSeller } from './seller-loop.mjs';

const config = JSON.parse(process.argv[2]);
const handle = await openDatabase(config.db);
const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: config.worker };

await runSeller(config, {
  async sell(request) {
    const order = await sellSeats(ctx, {
      ...request,
      seats: request.seats === undefined ? undefined : parseSeatRefs(request.seats),
      tier: [{ name: 'Adult' }],
      payment: { method: 'cash', tendered: 10000 },
    });
    if (order.status !== 'paid') throw new Error(`sale ${order.code} came back ${order.status}`);
    return { code: order.code, seats: order.tickets.map((t) => t.seat) };
  },
  isRefusal: (err) => err instanceof BoxofficeError && err.code === 'seat_unavailable',
  close: () => handle.close(),
});
