// A terminal in its own OS process that adds names through the compiled core (dist/), for the
// name-uniqueness races (test/pg-name-keys.test.ts): two of these add the same names, spelled in
// different case, at the same instants, and the test checks every answer is the domain's.
//
// Usage: node test/workers/namer.mjs '<json config>'
//   config.db      database file or postgres:// URL (already created)
//   config.kind    'venue' | 'staff' | 'tier' | 'customer'
//   config.names   the names, one per round
//   config.event   the event whose tiers are priced ('tier')
//   config.startAt the wall-clock ms of round 0; round i starts at startAt + i * stepMs, so that
//                  both processes try round i's name at about the same moment
//   config.stepMs
// Prints one JSON line: { answers: ['ok' | <BoxofficeError code> | 'unexpected: …', …] }.
import { openDatabase } from '../../dist/db/connection.js';
import { writeTransaction } from '../../dist/db/transaction.js';
import { addVenue } from '../../dist/core/venues/venues.js';
import { addStaff } from '../../dist/core/staff/staff.js';
import { setPrice } from '../../dist/core/events/tiers.js';
import { matchOrCreateCustomer } from '../../dist/core/customers/customers.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { systemClock } from '../../dist/core/clock.js';
import { BoxofficeError } from '../../dist/core/errors.js';

const config = JSON.parse(process.argv[2]);
const handle = await openDatabase(config.db);
const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'race' };

const add = {
  venue: (name) => addVenue(ctx, { name, city: 'Évora' }),
  staff: (name) => addStaff(ctx, { name, role: 'admin', pin: '482913' }),
  tier: (name) => setPrice(ctx, config.event, { tier: name, price: '10.00' }),
  customer: (email) => writeTransaction(ctx.db, (trx) => matchOrCreateCustomer(trx, ctx, email, undefined, [])),
}[config.kind];

const answers = [];
for (let i = 0; i < config.names.length; i++) {
  const wait = config.startAt + i * config.stepMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  try {
    await add(config.names[i]);
    answers.push('ok');
  } catch (err) {
    answers.push(err instanceof BoxofficeError ? err.code : `unexpected: ${err?.code ?? ''} ${err?.message ?? err}`);
  }
}
await handle.close();
process.stdout.write(`${JSON.stringify({ answers })}\n`);
