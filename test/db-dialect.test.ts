// The dialect seam (src/db/dialect.ts) on both databases: any db or trx leads to its dialect,
// prepared queries compile per dialect, numbers come back as numbers, snapshots and retries.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../src/db/connection.js';
import { dialectOf } from '../src/db/dialect.js';
import { foldKey } from '../src/db/fold.js';
import { prepared } from '../src/db/prepared.js';
import { sql } from '../src/db/kysely.js';
import { readSnapshot, writeTransaction } from '../src/db/transaction.js';
import { tempDir } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

const metaValue = prepared((db, p: { key: string }) => db.selectFrom('meta').select('value').where('key', '=', p.key));
const dir = tempDir('boxoffice-dialect-');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(kind: 'sqlite' | 'postgres'): Promise<{ handle: OpenDatabase; pg?: PostgresDatabase }> {
  if (kind === 'sqlite') {
    const handle = await openDatabase(path.join(dir, `${Math.random()}.db`), { create: true });
    cleanups.push(() => handle.close());
    return { handle };
  }
  const pg = await freshPostgresDatabase();
  const handle = await openDatabase(pg.url, { create: true });
  cleanups.push(
    () => pg.drop(),
    () => handle.close(),
  );
  return { handle, pg };
}

describe.each(['sqlite', 'postgres'] as const)('%s', (kind) => {
  const runs = kind === 'sqlite' || hasPostgres;
  it.runIf(runs)(`any db or trx leads to its dialect; a prepared query runs on it${kind === 'postgres' ? postgresNote : ''}`, async () => {
    const { handle } = await open(kind);
    expect(handle.dialect.name).toBe(kind);
    expect(dialectOf(handle.db).name).toBe(kind);
    await writeTransaction(handle.db, async (trx) => {
      expect(dialectOf(trx).name).toBe(kind);
      await trx.insertInto('meta').values({ key: 'k', value: 'v' }).execute();
    });
    expect(await metaValue.first(handle.db, { key: 'k' })).toEqual({ value: 'v' });
    const { rows } = await sql<{ n: number; total: number }>`select count(*) as n, sum(length(key)) as total from meta`.execute(handle.db);
    expect(rows[0]).toEqual({ n: 1, total: 1 });
    const inserted = await handle.db
      .insertInto('venues')
      .values({ name: 'Sala Évora', name_key: foldKey('Sala Évora'), city: 'Évora', timezone: 'Europe/Lisbon', created_at: 'x' })
      .returning('id')
      .execute();
    expect(handle.dialect.insertedId({ rows: inserted })).toBe(1);
    const joined = await handle.db
      .selectFrom('venues')
      .select(handle.dialect.groupConcat(sql`name`, '|', sql`name`).as('names'))
      .select(handle.dialect.jsonQuote(sql`min(city)`).as('city'))
      .executeTakeFirstOrThrow();
    expect(joined).toEqual({ names: 'Sala Évora', city: '"Évora"' });
  });
});

describe.runIf(hasPostgres)(`the server's clock${postgresNote}`, () => {
  // A fractional offset made instants fractional; a 15-minute hold then lasted 899,999 ms
  // when adding the duration rounded across a millisecond (seen in CI).
  it('is measured as a whole number of milliseconds', async () => {
    const { handle } = await open('postgres');
    for (let i = 0; i < 5; i++) expect(Number.isInteger(await handle.dialect.serverClockOffset(handle.db))).toBe(true);
  });
});

describe.runIf(hasPostgres)(`PostgreSQL transactions${postgresNote}`, () => {
  // (SQLite's snapshot reads are covered by test/seats-json.test.ts.)
  it('a read snapshot does not see a commit made during it, read through `snapshot`', async () => {
    const { handle } = await open('postgres');
    const seen = await readSnapshot(handle.db, async (snapshot) => {
      const before = await snapshot.selectFrom('meta').select('key').execute();
      await handle.db.insertInto('meta').values({ key: 'late', value: 'x' }).execute();
      const after = await snapshot.selectFrom('meta').select('key').execute();
      return { before: before.length, after: after.length };
    });
    expect(seen).toEqual({ before: 0, after: 0 });
    expect(await handle.db.selectFrom('meta').select('key').execute()).toEqual([{ key: 'late' }]);
  });

  it('a serialization failure is retried: two SERIALIZABLE read-then-write transactions both commit', async () => {
    const { handle } = await open('postgres');
    let attempts = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    let readers = 0;
    const work = (key: string) =>
      writeTransaction(
        handle.db,
        async (trx) => {
          attempts++;
          const { rows } = await sql<{ n: number }>`select count(*) as n from meta`.execute(trx);
          if (++readers === 2) bothRead();
          await barrier;
          await trx
            .insertInto('meta')
            .values({ key, value: String(rows[0].n) })
            .execute();
        },
        { serializable: true },
      );
    await Promise.all([work('a'), work('b')]);
    expect(attempts).toBe(3);
    const values = (await handle.db.selectFrom('meta').select(['key', 'value']).orderBy('key').execute()).map((r) => r.value).sort();
    expect(values).toEqual(['0', '1']);
  });
});
