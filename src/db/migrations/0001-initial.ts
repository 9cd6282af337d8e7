// Frozen in time: never edit a migration that has shipped; add a new one.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('venues')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index venues_name on venues (name collate nocase)`.execute(db);

  await db.schema
    .createTable('sections')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('venue_id', 'integer', (c) => c.notNull().references('venues.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reserved', 'ga')`))
    .addColumn('capacity', 'integer')
    .addColumn('zone', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await sql`create unique index sections_name on sections (venue_id, name collate nocase)`.execute(db);

  await db.schema
    .createTable('seats')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
    .addColumn('row_label', 'text', (c) => c.notNull())
    .addColumn('row_rank', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('x', 'real')
    .addColumn('y', 'real')
    .addColumn('zone', 'text')
    .addColumn('accessible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('obstructed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create unique index seats_place on seats (section_id, row_label collate nocase, number)`.execute(db);

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('venue_id', 'integer', (c) => c.notNull().references('venues.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'on_sale', 'cancelled', 'completed')`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('order_limit', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index events_starts on events (starts_at)`.execute(db);
  await sql`create index events_name on events (name collate nocase)`.execute(db);

  await db.schema
    .createTable('tiers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await sql`create unique index tiers_name on tiers (event_id, name collate nocase)`.execute(db);

  await db.schema
    .createTable('tier_prices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tier_id', 'integer', (c) => c.notNull().references('tiers.id'))
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull().check(sql`price >= 0`))
    .execute();
  await sql`create unique index tier_prices_zone on tier_prices (tier_id, zone collate nocase)`.execute(db);

  await db.schema
    .createTable('customers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index customers_email on customers (email collate nocase)`.execute(db);

  await db.schema
    .createTable('staff')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'manager', 'clerk', 'door')`))
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index staff_name on staff (name collate nocase)`.execute(db);

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'paid', 'cancelled', 'expired', 'refunded', 'partially_refunded')`))
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('holder_name', 'text')
    .addColumn('operator_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await sql`create index orders_event_status on orders (event_id, status, expires_at)`.execute(db);
  await sql`create index orders_customer on orders (customer_id)`.execute(db);

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
    .addColumn('seat_id', 'integer', (c) => c.references('seats.id'))
    .addColumn('tier_id', 'integer', (c) => c.notNull().references('tiers.id'))
    .addColumn('price', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('held', 'valid', 'used', 'void')`))
    .addColumn('issued_at', 'text')
    .addColumn('voided_at', 'text')
    .addColumn('replaces_id', 'integer', (c) => c.references('tickets.id'))
    .execute();
  await sql`create index tickets_order on tickets (order_id)`.execute(db);
  await sql`create index tickets_section_status on tickets (section_id, event_id, status)`.execute(db);

  await db.schema
    .createTable('seat_claims')
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('seat_id', 'integer', (c) => c.notNull().references('seats.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('held', 'sold', 'blocked')`))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('expires_at', 'text')
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('seat_claims_pk', ['event_id', 'seat_id'])
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('payment', 'refund')`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('cash', 'card', 'comp', 'external')`))
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('tendered', 'integer')
    .addColumn('change_given', 'integer')
    .addColumn('reference', 'text')
    .addColumn('reason', 'text')
    .addColumn('operator_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index payments_order on payments (order_id)`.execute(db);

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('checkins')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
    .addColumn('gate', 'text')
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    .execute();
  // A code is admitted once: the database refuses a second admission even if two doors race.
  await sql`create unique index checkins_ticket on checkins (ticket_id)`.execute(db);

  await db.schema
    .createTable('leads')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('source', 'text')
    .addColumn('event_id', 'integer', (c) => c.references('events.id'))
    .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('converted_order_id', 'integer', (c) => c.references('orders.id'))
    .addColumn('converted_at', 'text')
    .execute();
  await sql`create index leads_email on leads (email collate nocase)`.execute(db);

  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
