// Reads that must agree with each other see one commit.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readSnapshot, type Queryable } from '../../src/db/transaction.js';
import { openCore, seedGala } from '../helpers/core.js';

describe('a read snapshot', () => {
  it('sees one commit throughout, whatever another connection commits meanwhile', async () => {
    const core = await openCore();
    try {
      await seedGala(core.ctx);
      const db = core.handle.db;
      const count = async (q: Queryable = db) => (await q.selectFrom('seat_claims').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const other = new Database(core.handle.file);
      const [before, during] = await readSnapshot(db, async (snapshot) => {
        const first = await count(snapshot);
        other.prepare("insert into seat_claims (event_id, seat_id, status, reason) values (1, 1, 'blocked', 'test')").run();
        return [first, await count(snapshot)];
      });
      other.close();
      expect(during).toBe(before);
      expect(await count()).toBe(before + 1);
    } finally {
      await core.close();
    }
  });
});
