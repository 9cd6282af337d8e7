// Queries compiled once with stand-ins must run exactly like the same query built each time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from '../../src/db/kysely.js';
import { prepared } from '../../src/db/prepared.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';

describe('prepared queries', () => {
  let core: CoreFixture;
  beforeEach(async () => {
    core = await openCore();
    await seedGala(core.ctx);
  });
  afterEach(() => core.close());

  it('fill each stand-in with its own value on every run, and keep the values built into the query', async () => {
    const db = core.handle.db;
    const seat = prepared((q, p: { section: string; row: string; number: number }) =>
      q
        .selectFrom('seats')
        .innerJoin('sections', 'sections.id', 'seats.section_id')
        .select(['seats.row_label', 'seats.number', 'sections.name'])
        .where('sections.kind', '=', 'reserved')
        .where('sections.name', '=', p.section)
        .where(sql`seats.row_label`, '=', sql`${p.row} collate nocase`)
        .where('seats.number', '=', p.number),
    );
    expect(await seat.all(db, { section: 'Stalls', row: 'b', number: 7 })).toEqual([{ row_label: 'B', number: 7, name: 'Stalls' }]);
    expect(await seat.first(db, { section: 'Stalls', row: 'J', number: 20 })).toEqual({ row_label: 'J', number: 20, name: 'Stalls' });
    // The constant 'reserved' stays in the query: the GA section has no seats to match.
    expect(await seat.all(db, { section: 'Floor', row: 'A', number: 1 })).toEqual([]);
    expect(await seat.first(db, { section: 'Stalls', row: 'K', number: 1 })).toBeUndefined();
  });

  it('run writes, reporting the rows changed and the new row id', async () => {
    const db = core.handle.db;
    const rename = prepared((q, p: { name: string; id: number }) => q.updateTable('venues').set({ city: p.name }).where('id', '=', p.id));
    expect(await rename.run(db, { name: 'Porto', id: 1 })).toMatchObject({ changes: 1 });
    expect(await rename.run(db, { name: 'Porto', id: 999 })).toMatchObject({ changes: 0 });
    const venue = await db.selectFrom('venues').select('city').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(venue.city).toBe('Porto');
  });

  it('refuse a stand-in used where no value can go', async () => {
    const bad = prepared((q, p: { column: string }) => q.selectFrom('venues').select(sql.ref(p.column).as('x')));
    await expect(bad.all(core.handle.db, { column: 'name' })).rejects.toThrow(/outside a value position/);
  });
});
