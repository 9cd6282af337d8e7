// A terminal that only writes events: `transactions` write transactions through the compiled
// core (dist/), each appending 1-3 outbox events with recordEvents and holding its transaction
// open a random few milliseconds before it commits, so that transactions that started later
// commit earlier. Some roll back on purpose (their events must never appear). For the feed test
// (test/pg-feed.test.ts): prints one JSON line, the tags of the events that committed.
//
// Usage: node test/workers/feed-writer.mjs '<json config>'
//   config.db            the database (a postgres:// URL or a file), already made by `init`
//   config.worker        a label, part of every event's tag
//   config.transactions  how many write transactions to try
//   config.seed          seed for the random waits and rollbacks
import { openDatabase } from '../../dist/db/connection.js';
import { writeTransaction } from '../../dist/db/transaction.js';
import { recordEvents } from '../../dist/core/outbox/outbox.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { systemClock } from '../../dist/core/clock.js';
import { rng } from '../../scripts/seeded-random.mjs';

const config = JSON.parse(process.argv[2]);

const random = rng(config.seed ?? 1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class RolledBack extends Error {}

const handle = await openDatabase(config.db);
const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER };
const committed = [];
let rolledBack = 0;
try {
  for (let n = 0; n < config.transactions; n++) {
    const size = 1 + Math.floor(random() * 3);
    const tags = Array.from({ length: size }, (_, k) => `${config.worker}/${n}/${k}`);
    const waitMs = Math.floor(random() * 12);
    const rollback = random() < 0.15;
    try {
      await writeTransaction(ctx.db, async (trx) => {
        await recordEvents(
          trx,
          ctx,
          tags.map((tag) => ({ type: 'venue.updated', subject: `test/${config.worker}`, data: { tag } })),
        );
        // Held open after its events are written: a transaction that took its place in the
        // outbox earlier than another's commits after it.
        await sleep(waitMs);
        if (rollback) throw new RolledBack();
      });
      committed.push(...tags);
    } catch (err) {
      if (!(err instanceof RolledBack)) throw err;
      rolledBack++;
    }
  }
} finally {
  await handle.close();
}
process.stdout.write(`${JSON.stringify({ worker: config.worker, committed, rolledBack })}\n`);
