// A PostgreSQL test database with an event on sale, made with SQL behind the tool's back, for the
// tests of sites that need sales on PostgreSQL (test/pg-*.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/db/connection.js';
import { preparedSandbox, ROOT, sandbox } from './cli.js';
import { freshPostgresDatabase, type PostgresDatabase } from './pg.js';

/**
 * A venue with a general-admission floor of `capacity` (and, when `seats` is given, reserved
 * Stalls of one row A, seats 1 to `seats`), and one event on sale there (Adult 25.00 EUR); its id.
 */
export async function seedEvent(db: PostgresDatabase, capacity = 10_000, seats = 0): Promise<string> {
  const now = new Date().toISOString();
  const [venue] = await db.query<{ id: string }>(`insert into venues (name, name_key, city, timezone, created_at) values ('Main Hall', 'main hall', 'Lisbon', 'Europe/Lisbon', $1) returning id`, [
    now,
  ]);
  await db.query(`insert into sections (venue_id, name, name_key, kind, capacity, zone, position) values ($1, 'Floor', 'floor', 'ga', $2, null, 0)`, [venue.id, capacity]);
  if (seats > 0) {
    const [stalls] = await db.query<{ id: string }>(
      `insert into sections (venue_id, name, name_key, kind, capacity, zone, position) values ($1, 'Stalls', 'stalls', 'reserved', null, null, 1) returning id`,
      [venue.id],
    );
    await db.query(`insert into seats (section_id, row_label, row_label_key, row_rank, number) select $1, 'A', 'a', 0, n from generate_series(1, $2::int) as n`, [stalls.id, seats]);
  }
  const starts = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const [event] = await db.query<{ id: string }>(
    `insert into events (venue_id, name, name_key, type, starts_at, ends_at, status, currency, order_limit, created_at)
     values ($1, 'Gala', 'gala', null, $2, null, 'on_sale', 'EUR', 10, $3) returning id`,
    [venue.id, starts, now],
  );
  const [tier] = await db.query<{ id: string }>(`insert into tiers (event_id, name, name_key, position) values ($1, 'Adult', 'adult', 0) returning id`, [event.id]);
  await db.query(`insert into tier_prices (tier_id, zone, zone_key, price) values ($1, '', '', 2500)`, [tier.id]);
  return String(event.id);
}

/**
 * The Gala on sale (event 1) at Main Hall: Stalls A-J × 1-20 and a GA Floor of `floor` places,
 * tiers Adult 25.00 and Child 12.50. Written in plain SQL (name keys folded as foldKey() does for
 * ASCII) on a database that has the schema, so the fixture does not depend on the code under test.
 */
export async function seedGala(db: PostgresDatabase, floor: number, createdAt = new Date().toISOString()): Promise<string> {
  const q = db.query;
  await q(`insert into venues (name, name_key, city, timezone, created_at) values ('Main Hall', 'main hall', 'Lisbon', 'Europe/Lisbon', $1)`, [createdAt]);
  await q(`insert into sections (venue_id, name, name_key, kind, capacity, zone, position) values (1, 'Stalls', 'stalls', 'reserved', null, null, 0), (1, 'Floor', 'floor', 'ga', $1, null, 1)`, [
    floor,
  ]);
  await q(`insert into seats (section_id, row_label, row_label_key, row_rank, number)
           select 1, r.label, lower(r.label), r.rank - 1, n from unnest(array['A','B','C','D','E','F','G','H','I','J']) with ordinality as r(label, rank), generate_series(1, 20) as n
            order by r.rank, n`);
  await q(`insert into events (venue_id, name, name_key, starts_at, status, currency, order_limit, created_at) values (1, 'Gala', 'gala', '2027-03-01T20:00:00.000Z', 'on_sale', 'EUR', 10, $1)`, [
    createdAt,
  ]);
  await q(`insert into tiers (event_id, name, name_key, position) values (1, 'Adult', 'adult', 0), (1, 'Child', 'child', 1)`);
  await q(`insert into tier_prices (tier_id, zone, zone_key, price) values (1, '', '', 2500), (2, '', '', 1250)`);
  return '1';
}

/** A new database (the caller drops it) with the schema and the Gala on sale (seedGala), for tests of the built code. */
export async function freshGala(floor: number, createdAt?: string): Promise<{ db: PostgresDatabase; event: string }> {
  if (!fs.existsSync(path.join(ROOT, 'dist/core/orders/sale.js'))) throw new Error('run `npm run build` first');
  const db = await freshPostgresDatabase();
  const handle = await openDatabase(db.url, { create: true });
  await handle.close();
  return { db, event: await seedGala(db, floor, createdAt) };
}

/**
 * A fresh PostgreSQL database and the CLI pointed at it, for tests of the built binary; both are
 * dropped through `cleanups`. `init` has run, or with `prepared` the Gala steps of preparedSandbox.
 */
export async function cliOnFreshDatabase(cleanups: (() => unknown)[], options: { prepared?: boolean } = {}) {
  if (!fs.existsSync(path.join(ROOT, 'dist/core/orders/sale.js'))) throw new Error('run `npm run build` first');
  const database = await freshPostgresDatabase();
  cleanups.push(() => database.drop());
  const box = options.prepared ? preparedSandbox({ BOXOFFICE_DB: database.url }) : sandbox({ BOXOFFICE_DB: database.url });
  cleanups.push(() => box.cleanup());
  if (!options.prepared) {
    const init = box.run(['init']);
    if (init.code !== 0) throw new Error(`init failed (${init.code}): ${init.stderr}`);
  }
  return { database, box };
}
