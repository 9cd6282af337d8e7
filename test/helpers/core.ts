// The core over a real database (a SQLite file, or PostgreSQL in the "postgres" project: see
// test/helpers/db.ts), with a clock the test moves.
import fs from 'node:fs';
import { CompiledQuery } from 'kysely';
import type Sqlite from 'better-sqlite3';
import { openDatabase, type OpenDatabase, type SqliteDatabase } from '../../src/db/connection.js';
import { ManualClock } from '../../src/core/clock.js';
import { SINGLE_USER, type Actor } from '../../src/core/staff/permissions.js';
import type { CoreContext } from '../../src/core/context.js';
import { addVenue, generateGaSection, generateReservedBlock } from '../../src/core/venues/venues.js';
import { addEvent, publishEvent } from '../../src/core/events/events.js';
import { setPrice } from '../../src/core/events/tiers.js';
import { tempDir } from './cli.js';
import { isUrl, newTestDatabase } from './db.js';

export interface CoreFixture {
  handle: OpenDatabase;
  /** What --db takes for this database: a file path or a postgres:// URL. */
  target: string;
  /** Plain SQL behind the core's back, `?` placeholders, on either database. */
  query<T = Record<string, any>>(sqlText: string, ...params: unknown[]): Promise<T[]>;
  clock: ManualClock;
  ctx: CoreContext;
  as(actor: Actor): CoreContext;
  close(): Promise<void>;
}

export async function openCore(): Promise<CoreFixture> {
  const dir = tempDir('boxoffice-core-');
  const database = newTestDatabase(dir, 'core.db');
  const handle = await openDatabase(database.target, { create: true });
  const clock = new ManualClock('2027-01-10T12:00:00Z');
  const ctx: CoreContext = { db: handle.db, clock, actor: SINGLE_USER, channel: 'test' };
  const query = async <T>(sqlText: string, ...params: unknown[]): Promise<T[]> => {
    let n = 0;
    const text = isUrl(database.target) ? sqlText.replace(/\?/g, () => `$${++n}`) : sqlText;
    return (await handle.db.executeQuery(CompiledQuery.raw(text, params))).rows as T[];
  };
  return {
    handle,
    target: database.target,
    query,
    clock,
    ctx,
    as: (actor) => ({ ...ctx, actor }),
    close: async () => {
      await handle.close();
      database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A venue with Stalls A-J × 1-20 and a GA Floor of 50; event "Gala" on sale at Adult 25.00 / Child 12.50. */
export async function seedGala(ctx: CoreContext, options: { orderLimit?: number } = {}): Promise<{ eventId: string }> {
  await addVenue(ctx, { name: 'Main Hall', city: 'Lisbon', timezone: 'Europe/Lisbon' });
  await generateReservedBlock(ctx, 'Main Hall', { section: 'Stalls', rows: 'A-J', seats: '1-20' });
  await generateGaSection(ctx, 'Main Hall', { section: 'Floor', capacity: 50 });
  const event = await addEvent(ctx, { name: 'Gala', venue: 'Main Hall', starts: '2027-03-01T20:00', orderLimit: options.orderLimit });
  await setPrice(ctx, String(event.id), { tier: 'Adult', price: '25.00' });
  await setPrice(ctx, String(event.id), { tier: 'Child', price: '12.50' });
  await publishEvent(ctx, String(event.id));
  return { eventId: String(event.id) };
}

/** The better-sqlite3 connection, for tests about SQLite itself (they do not run in the postgres project). */
export function sqliteOf(core: CoreFixture): Sqlite.Database {
  if (core.handle.dialect.name !== 'sqlite') throw new Error('this test looks at a SQLite file: it belongs to the sqlite project only');
  return (core.handle as SqliteDatabase).sqlite;
}

/**
 * Another terminal's writes, made once between an import's planning and its write (its first
 * `writing` progress), with the outbox entry that tells the import its data changed.
 */
export function meanwhile(core: CoreFixture, ...statements: string[]): { raced: boolean; onProgress: (p: { phase: string }) => void } {
  const race = {
    raced: false,
    onProgress: (p: { phase: string }) => {
      if (p.phase !== 'writing' || race.raced) return;
      race.raced = true;
      for (const s of statements) sqliteOf(core).prepare(s).run();
    },
  };
  return race;
}
