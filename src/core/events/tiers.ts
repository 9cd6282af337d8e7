// Price tiers (Adult, Child, Concession…): one price, or a price per zone.
import type { Queryable, Trx } from '../../db/transaction.js';
import { sql } from '../../db/kysely.js';
import { foldKey, sameName } from '../../db/fold.js';
import { writeUnique } from '../unique.js';
import { prepared } from '../../db/prepared.js';
import type { EventRow, Tier } from '../../db/schema.js';
import { BoxofficeError, invalid, notFound } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { parseMoney } from '../money.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from './events.js';
import { validateName } from '../venues/venues.js';

export interface TierView {
  id: number;
  name: string;
  /** Price per zone in minor units; the key `*` is the price for any other zone. */
  prices: { zone: string | null; price: number }[];
  currency: string;
}

const tierPrices = prepared((db, p: { eventId: number }, dialect) =>
  db
    .selectFrom('tiers')
    .leftJoin('tier_prices', 'tier_prices.tier_id', 'tiers.id')
    .select(['tiers.id', 'tiers.name', 'tier_prices.zone', 'tier_prices.price'])
    .where('tiers.event_id', '=', p.eventId)
    .orderBy('tiers.position')
    .orderBy(dialect.byBytes(sql`tier_prices.zone`)),
);

export async function listTiers(db: Queryable, event: EventRow): Promise<TierView[]> {
  const rows = await tierPrices.all(db, { eventId: event.id });
  const tiers = new Map<number, TierView>();
  for (const r of rows) {
    let t = tiers.get(r.id);
    if (!t) tiers.set(r.id, (t = { id: r.id, name: r.name, prices: [], currency: event.currency }));
    if (r.price !== null) t.prices.push({ zone: r.zone || null, price: r.price });
  }
  return [...tiers.values()];
}

/** Sets a tier's price (for one zone, or for any zone), creating the tier if it is new. */
export async function setPrice(ctx: CoreContext, eventRef: string, input: { tier: string; price: string; zone?: string }): Promise<TierView> {
  requireRole(ctx.actor, 'manage_events');
  const tierName = validateName(input.tier, 'a tier');
  const problem = tierNameProblem(tierName);
  if (problem) throw invalid(`tier names ${problem}: ${JSON.stringify(tierName)}`);
  const zone = plainText(input.zone?.trim() ?? '', 'zone');
  // A new tier made by two terminals at once (PostgreSQL): the unique index tiers_name, see
  // writeUnique (the loser's re-run finds the tier and sets its price). The price itself is an
  // upsert on tier_prices_zone, atomic on both databases.
  return writeUnique(ctx.db, async (trx) => {
    const { event } = await findEvent(trx, eventRef);
    assertPricesOpen(event);
    const price = parseMoney(input.price, event.currency, 'price');
    if (zone) await assertZoneExists(trx, event.venue_id, zone);
    const tier = await writePrice(trx, ctx, event, tierName, zone, price);
    return (await listTiers(trx, event)).find((t) => t.id === tier.id)!;
  });
}

/** What a tier name may not be, worded after the name (`cannot contain …`), as a command's refusal and an import's line both say it. */
export function tierNameProblem(name: string): string | undefined {
  return /[,=]/.test(name) ? "cannot contain ',' or '='" : undefined;
}

/** A cancelled or completed event's prices stay as they were. */
export function assertPricesOpen(event: Pick<EventRow, 'name' | 'status'>): void {
  if (event.status === 'cancelled' || event.status === 'completed') {
    throw new BoxofficeError('invalid_state', `event ${event.name} is ${event.status}; its prices can no longer change`);
  }
}

/**
 * The one writer of a price, inside the caller's transaction (the command's, an import's): the
 * tier, made if it is new (after the event's others), its price for `zone` ('' for any zone) set,
 * and the `event.price_set` event.
 */
export async function writePrice(trx: Trx, ctx: CoreContext, event: EventRow, tierName: string, zone: string, price: number): Promise<Tier> {
  let tier = await trx.selectFrom('tiers').selectAll().where('event_id', '=', event.id).where('name_key', '=', foldKey(tierName)).executeTakeFirst();
  if (!tier) {
    const position = Number(
      (
        await trx
          .selectFrom('tiers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('event_id', '=', event.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    tier = await trx
      .insertInto('tiers')
      .values({ event_id: event.id, name: tierName, name_key: foldKey(tierName), position })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  await trx
    .insertInto('tier_prices')
    .values({ tier_id: tier.id, zone, zone_key: foldKey(zone), price })
    .onConflict((oc) => oc.columns(['tier_id', 'zone_key']).doUpdateSet({ price }))
    .execute();
  await recordEvents(trx, ctx, [{ type: 'event.price_set', subject: `event/${event.id}`, data: { eventId: event.id, tier: tier.name, zone: zone || null, price, currency: event.currency } }]);
  return tier;
}

/** The price of `tier` for a seat in `zone`: the zone's own price, else the tier's any-zone price. */
export function priceFor(prices: { zone: string | null; price: number }[], zone: string | null): number | undefined {
  const own = zone ? prices.find((p) => p.zone !== null && sameName(p.zone, zone)) : undefined;
  return (own ?? prices.find((p) => p.zone === null))?.price;
}

/** A price for a zone no seat is in would never apply: a typo (Balconyy) is refused while the seat map exists. */
async function assertZoneExists(db: Queryable, venueId: number, zone: string): Promise<void> {
  const names = unknownZone(await venueZones(db, venueId), zone);
  if (names === undefined) return;
  throw notFound(
    `no seats at this venue are in zone ${JSON.stringify(zone)}`,
    names.length ? `its zones: ${names.join(', ')} (or no zone, for the price of every other seat)` : 'its seats have no zones: give the price with no zone',
  ).because('zone_unknown', { zones: names });
}

/** The venue's zones (sorted) when `zone` is none of them, else undefined; a venue without a seat map (`zones` undefined) takes any zone. */
export function unknownZone(zones: Map<string, string> | undefined, zone: string): string[] | undefined {
  if (zones === undefined || zones.has(foldKey(zone))) return undefined;
  return [...zones.values()].sort();
}

/**
 * The zones a venue's places are in, keyed by their key (src/db/fold.ts), or undefined while it has no seat
 * map (prices may be set before one is imported).
 */
export async function venueZones(db: Queryable, venueId: number): Promise<Map<string, string> | undefined> {
  const rows = await db
    .selectFrom('sections')
    .leftJoin('seats', 'seats.section_id', 'sections.id')
    .select(['sections.zone as section_zone', 'seats.zone as seat_zone'])
    .distinct()
    .where('sections.venue_id', '=', venueId)
    .execute();
  if (rows.length === 0) return undefined;
  const zones = new Map<string, string>();
  for (const r of rows) {
    const zone = r.seat_zone || r.section_zone;
    if (zone) zones.set(foldKey(zone), zone);
  }
  return zones;
}
