// One terminal of the Z-report race (test/pg-zreport.test.ts), in its own OS process, through the
// compiled core (dist/) on a PostgreSQL database, with the clock a command would have.
//
// Usage: node test/workers/pg-drawer.mjs <url> sell <event> <count>   sells <count> orders of 3 GA places
//        node test/workers/pg-drawer.mjs <url> close                 closes the drawer's Z report again and
//                                                                    again until stdin says "stop"
// Prints one JSON line at the end: what it did, and every error that was not the domain's answer.
import { openDatabase } from '../../dist/db/connection.js';
import { boxOfficeClock } from '../../dist/core/rehearsal.js';
import { sellSeats } from '../../dist/core/orders/sale.js';
import { cashup } from '../../dist/core/reports/cashup.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { BoxofficeError } from '../../dist/core/errors.js';

const [url, role, event, count] = process.argv.slice(2);
const handle = await openDatabase(url);
const ctx = { db: handle.db, clock: await boxOfficeClock(handle.db, undefined), actor: SINGLE_USER, channel: 'race' };
const report = { role, done: 0, refused: {}, unexpected: [] };
const note = (err) => {
  if (err instanceof BoxofficeError) report.refused[err.code] = (report.refused[err.code] ?? 0) + 1;
  else report.unexpected.push(String(err?.stack ?? err));
};

if (role === 'sell') {
  for (let i = 0; i < Number(count); i++) {
    try {
      // Several places and a new customer each: a sale that writes a good deal after its payment
      // is dated, as a real one does, so a Z report has time to close in between.
      const payment = i % 2 ? { method: 'cash' } : { method: 'card', cardRef: `T${i}` };
      await sellSeats(ctx, { event, quantity: 3, tier: [{ name: 'Adult' }], payment, email: `buyer-${process.pid}-${i}@example.com`, name: 'Race Tester' });
      report.done++;
    } catch (err) {
      note(err);
    }
  }
} else {
  let stop = false;
  process.stdin.on('data', (d) => {
    if (String(d).includes('stop')) stop = true;
  });
  while (!stop) {
    try {
      await cashup(ctx, { counted: '0', close: true });
      report.done++;
    } catch (err) {
      // Nothing taken since the last close: the domain's answer, not a failure.
      note(err);
    }
  }
  process.stdin.pause();
}
await handle.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
