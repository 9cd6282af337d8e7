// Events at a venue: their status, schedule, currency and per-order ticket limit.
import { sql } from '../../db/kysely.js';
import { foldKey } from '../../db/fold.js';
import { dialectOf } from '../../db/dialect.js';
import type { Queryable, Trx } from '../../db/transaction.js';
import { setWithKey, type FieldChanges } from '../changes.js';
import { writeTransaction, TransactionConflict } from '../../db/transaction.js';
import type { EventRow, Venue } from '../../db/schema.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { normaliseCurrency } from '../money.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { resolveByIdOrName } from '../references.js';
import { findVenue, validateName } from '../venues/venues.js';
import { parseLocalDateTime, formatInZone } from '../time.js';
import { listTiers, type TierView } from './tiers.js';

export const DEFAULT_ORDER_LIMIT = 10;

export interface EventView {
  id: number;
  name: string;
  type: string | null;
  status: EventRow['status'];
  venue: { id: number; name: string; city: string; timezone: string };
  startsAt: string;
  endsAt: string | null;
  currency: string;
  orderLimit: number;
  createdAt: string;
}

export function eventView(e: EventRow, v: Pick<Venue, 'id' | 'name' | 'city' | 'timezone'>): EventView {
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    status: e.status,
    venue: { id: v.id, name: v.name, city: v.city, timezone: v.timezone },
    startsAt: formatInZone(e.starts_at, v.timezone),
    endsAt: e.ends_at ? formatInZone(e.ends_at, v.timezone) : null,
    currency: e.currency,
    orderLimit: e.order_limit,
    createdAt: e.created_at,
  };
}

export interface NewEvent {
  name: string;
  venue: string;
  /** Local wall-clock time at the venue (`2027-03-01T20:00`) or an ISO instant with offset. */
  starts: string;
  ends?: string;
  type?: string;
  currency?: string;
  orderLimit?: number;
}

/** The most tickets an event may allow in one order. */
export const MAX_ORDER_LIMIT = 1000;

function validateOrderLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ORDER_LIMIT) throw invalid(`the per-order ticket limit must be a whole number from 1 to ${MAX_ORDER_LIMIT}`);
  return n;
}

/** Whether an event that ends at `endsAt` ends after it starts (instants in UTC, as stored). */
export function endsAfterStart(startsAt: string, endsAt: string | null | undefined): boolean {
  return endsAt === null || endsAt === undefined || endsAt > startsAt;
}

/** Adds an event in `draft`; it sells once published. */
export async function addEvent(ctx: CoreContext, input: NewEvent): Promise<EventView> {
  requireRole(ctx.actor, 'manage_events');
  const name = validateName(input.name, 'an event');
  plainText(input.type, 'event type');
  const currency = normaliseCurrency(input.currency ?? 'EUR');
  const orderLimit = validateOrderLimit(input.orderLimit ?? ctx.defaultOrderLimit ?? DEFAULT_ORDER_LIMIT);
  return writeTransaction(ctx.db, async (trx) => {
    const venue = await findVenue(trx, input.venue);
    const startsAt = parseLocalDateTime(input.starts, venue.timezone, 'starts');
    const endsAt = input.ends ? parseLocalDateTime(input.ends, venue.timezone, 'ends') : null;
    if (!endsAfterStart(startsAt, endsAt)) throw invalid('the event must end after it starts');
    const row = await insertEvent(trx, ctx, venue, { name, type: input.type?.trim() || null, starts_at: startsAt, ends_at: endsAt, currency, order_limit: orderLimit });
    return eventView(row, venue);
  });
}

/**
 * The one writer of a new event (a draft), inside the caller's transaction (the command's, an
 * import's): the row and its `event.created` event. An import gives the external id, which the event then carries.
 */
export async function insertEvent(
  trx: Trx,
  ctx: CoreContext,
  venue: Venue,
  values: Pick<EventRow, 'name' | 'type' | 'starts_at' | 'ends_at' | 'currency' | 'order_limit'> & { external_id?: string | null },
): Promise<EventRow> {
  const row = await trx
    .insertInto('events')
    .values({ venue_id: venue.id, ...values, name_key: foldKey(values.name), status: 'draft', created_at: nowIso(ctx) })
    .returningAll()
    .executeTakeFirstOrThrow();
  const view = eventView(row, venue);
  const data = values.external_id === undefined ? view : { ...view, externalId: row.external_id };
  await recordEvents(trx, ctx, [{ type: 'event.created', subject: `event/${row.id}`, data: data as never }]);
  return row;
}

/** The one writer of an event's changed fields, inside the caller's transaction, with its `event.updated` event. */
export async function updateEvent(trx: Trx, ctx: CoreContext, eventId: number, changes: FieldChanges): Promise<void> {
  await trx.updateTable('events').set(setWithKey(changes, 'name')).where('id', '=', eventId).execute();
  await recordEvents(trx, ctx, [{ type: 'event.updated', subject: `event/${eventId}`, data: { id: eventId, changes } }]);
}

export async function findEvent(db: Queryable, ref: string): Promise<{ event: EventRow; venue: Venue }> {
  const event = await resolveByIdOrName(db, 'events', ref);
  const venue = await db.selectFrom('venues').selectAll().where('id', '=', event.venue_id).executeTakeFirstOrThrow();
  return { event, venue };
}

export interface EventFilter {
  status?: string;
  city?: string;
  type?: string;
  from?: string;
  to?: string;
  limit?: number;
  page?: number;
}

export async function listEvents(ctx: CoreContext, filter: EventFilter = {}): Promise<EventView[]> {
  const { db } = ctx;
  let q = db
    .selectFrom('events')
    .innerJoin('venues', 'venues.id', 'events.venue_id')
    .selectAll('events')
    .select(['venues.name as venue_name', 'venues.city as venue_city', 'venues.timezone as venue_timezone']);
  if (filter.status) q = q.where('events.status', '=', filter.status as EventRow['status']);
  // City and type have no key column: folded in SQL by the same rule (SqlDialect.fold).
  const { fold } = dialectOf(db);
  if (filter.city) q = q.where(fold(sql.ref('venues.city')), '=', foldKey(filter.city));
  if (filter.type) q = q.where(fold(sql.ref('events.type')), '=', foldKey(filter.type));
  if (filter.from) q = q.where('events.starts_at', '>=', filter.from);
  if (filter.to) q = q.where('events.starts_at', '<', filter.to);
  q = q.orderBy('events.starts_at').orderBy('events.id');
  if (filter.limit) q = q.limit(filter.limit).offset(((filter.page ?? 1) - 1) * filter.limit);
  const rows = await q.execute();
  return rows.map((r) => eventView(r, { id: r.venue_id, name: r.venue_name, city: r.venue_city, timezone: r.venue_timezone }));
}

export interface EventDetails extends EventView {
  tiers: TierView[];
}

export async function showEvent(ctx: CoreContext, ref: string): Promise<EventDetails> {
  const { event, venue } = await findEvent(ctx.db, ref);
  return { ...eventView(event, venue), tiers: await listTiers(ctx.db, event) };
}

/** Puts a draft event on sale; it needs a seat map and at least one priced tier. */
export async function publishEvent(ctx: CoreContext, ref: string): Promise<EventView> {
  requireRole(ctx.actor, 'manage_events');
  return writeTransaction(ctx.db, async (trx) => {
    const { event, venue } = await findEvent(trx, ref);
    if (event.status === 'on_sale') return eventView(event, venue);
    if (event.status !== 'draft') throw new BoxofficeError('invalid_state', `event ${event.name} is ${event.status} and cannot go on sale`);
    const section = await trx.selectFrom('sections').select('id').where('venue_id', '=', venue.id).limit(1).executeTakeFirst();
    if (!section) {
      throw new BoxofficeError('invalid_state', `venue ${venue.name} has no seat map yet`, 'add one to the venue first').because('venue_has_no_seat_map', { venue: venue.name });
    }
    const priced = await trx
      .selectFrom('tier_prices')
      .innerJoin('tiers', 'tiers.id', 'tier_prices.tier_id')
      .select('tier_prices.id')
      .where('tiers.event_id', '=', event.id)
      .limit(1)
      .executeTakeFirst();
    if (!priced) {
      throw new BoxofficeError('invalid_state', `event ${event.name} has no prices yet`, 'set a price for a tier first').because('event_has_no_prices', { eventId: event.id });
    }
    // Only a draft goes on sale (conditional update, row checked): a cancel or another publish that
    // committed since the read makes this run again and answer from what it did.
    const row = await trx.updateTable('events').set({ status: 'on_sale' }).where('id', '=', event.id).where('status', '=', 'draft').returningAll().executeTakeFirst();
    if (!row) throw new TransactionConflict(new BoxofficeError('invalid_state', `event ${event.name} changed at another terminal while being published`));
    await recordEvents(trx, ctx, [{ type: 'event.published', subject: `event/${event.id}`, data: { id: event.id, name: event.name } }]);
    return eventView(row, venue);
  });
}
