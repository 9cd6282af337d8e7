// A PostgreSQL test database with an event on sale, made with SQL behind the tool's back, for the
// tests of sites that need sales on PostgreSQL (test/pg-*.test.ts).
import type { PostgresDatabase } from './pg.js';

/**
 * A venue with a general-admission floor of `capacity` (and, when `seats` is given, reserved
 * Stalls of one row A, seats 1 to `seats`), and one event on sale there (Adult 25.00 EUR); its id.
 */
export async function seedEvent(db: PostgresDatabase, capacity = 10_000, seats = 0): Promise<string> {
  const now = new Date().toISOString();
  const [venue] = await db.query<{ id: string }>(
    `insert into venues (name, name_key, city, timezone, created_at) values ('Main Hall', 'main hall', 'Lisbon', 'Europe/Lisbon', $1) returning id`,
    [now],
  );
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
