// Reads that must agree with each other see one commit.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readSnapshot, writeTransaction, type Queryable } from '../../src/db/transaction.js';
import { openCore, seedGala } from '../helpers/core.js';

describe('a read snapshot', () => {
  it('sees one commit throughout, whatever another connection commits meanwhile', async () => {
    const core = await openCore();
    try {
      await seedGala(core.ctx);
      const db = core.handle.db;
      const count = async (q: Queryable = db) =>
        (
          await q
            .selectFrom('seat_claims')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
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

  it('a write of the same process during a snapshot waits for its end instead of failing (the terminal holds while its map reloads)', async () => {
    const core = await openCore();
    try {
      await seedGala(core.ctx);
      const db = core.handle.db;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let wrote = false;
      const snapshot = readSnapshot(db, async (s) => {
        await s.selectFrom('meta').select('key').execute();
        await held;
      });
      // Let the snapshot open its read transaction first (on the old SQLite snapshot, the write's
      // BEGIN IMMEDIATE then failed: "cannot start a transaction within a transaction").
      await new Promise((resolve) => setTimeout(resolve, 20));
      const write = writeTransaction(db, async (trx) => {
        await trx.insertInto('meta').values({ key: 'during', value: 'x' }).execute();
        wrote = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(wrote).toBe(false);
      release();
      await Promise.all([snapshot, write]);
      expect(wrote).toBe(true);
      expect(await db.selectFrom('meta').select('key').where('key', '=', 'during').execute()).toEqual([{ key: 'during' }]);
    } finally {
      await core.close();
    }
  });
});
