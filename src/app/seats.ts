// The seat map as both fronts read it: an event's sections and seats, each answer read in one
// snapshot so a sale at another till lands before or after all of it, never between its parts.
import type { CoreContext } from '../core/context.js';
import { nowIso } from '../core/context.js';
import { findEvent } from '../core/events/events.js';
import { listTiers, type TierView } from '../core/events/tiers.js';
import {
  eventAvailability,
  sectionRowStrips,
  sectionTotals,
  type GaSectionView,
  type ReservedSectionTotals,
  type SeatRowStrip,
  type SectionAvailability,
  type SectionTotals,
} from '../core/inventory/availability.js';
import { inventoryVersion } from '../core/inventory/counts.js';
import { pickSection } from '../core/orders/selection.js';
import type { EventRow, Venue } from '../db/schema.js';
import { readSnapshot, type Queryable } from '../db/transaction.js';

export type { Queryable };

export interface SeatMapData {
  sections: SectionAvailability[];
  tiers: TierView[];
  /** The inventory version the data was read at. */
  version: string;
}

/** The seat map of an event with its tiers, and the inventory version it was read at. */
export async function seatMap(ctx: CoreContext, eventId: number): Promise<SeatMapData> {
  const at = nowIso(ctx);
  // The version and the map from one snapshot: a sale at another till lands before both or
  // after both, so the next version check sees it.
  return readSnapshot(ctx.db, async (snapshot) => {
    const version = await inventoryVersion(snapshot, eventId, at);
    const { event, venue } = await findEvent(snapshot, String(eventId));
    return { sections: await eventAvailability({ ...ctx, db: snapshot }, event, venue, at), tiers: await listTiers(snapshot, event), version };
  });
}

/** Changes whenever the event's availability may have changed (cheap: poll it). */
export function seatMapVersion(ctx: CoreContext, eventId: number): Promise<string> {
  return inventoryVersion(ctx.db, eventId, nowIso(ctx));
}

/** Which seats to show: an event, perhaps one of its sections, at one moment. */
export interface SeatsOf {
  event: EventRow;
  venue: Venue;
  sectionId?: number;
  now: string;
}

/** The event `ref` names (id or name), and its section `section` names when given. */
export async function seatsOf(ctx: CoreContext, ref: string, section?: string): Promise<SeatsOf> {
  const { event, venue } = await findEvent(ctx.db, ref);
  let sectionId: number | undefined;
  if (section) {
    const all = await ctx.db.selectFrom('sections').select(['id', 'name']).where('venue_id', '=', venue.id).orderBy('position').execute();
    sectionId = pickSection(all, section).id;
  }
  return { event, venue, sectionId, now: nowIso(ctx) };
}

/** Every section with each seat's state (a general-admission section with its counts). */
export function seatList(ctx: CoreContext, of: SeatsOf): Promise<SectionAvailability[]> {
  return readSnapshot(ctx.db, (snapshot) => eventAvailability({ ...ctx, db: snapshot }, of.event, of.venue, of.now, of.sectionId));
}

export type SectionRows = GaSectionView | (ReservedSectionTotals & { rows: SeatRowStrip[] });

/** Each section's counts, with a reserved section's rows as strips of seat states: what a map draws. */
export function seatRows(ctx: CoreContext, of: SeatsOf): Promise<SectionRows[]> {
  return readSnapshot(ctx.db, async (snapshot) => {
    const drawn: SectionRows[] = [];
    const read = { ...ctx, db: snapshot };
    for (const s of await sectionTotals(read, of.event, of.venue, of.now, of.sectionId)) {
      drawn.push(s.kind === 'ga' ? s : { ...s, rows: await sectionRowStrips(read, of.event.id, s.id, of.now) });
    }
    return drawn;
  });
}

/**
 * Each section's counts, handed to `work` with the snapshot they were read in, for a front that
 * reads each section's seats on from there (streaming a stadium's seats as text).
 */
export function seatTotals<T>(ctx: CoreContext, of: SeatsOf, work: (snapshot: CoreContext, sections: SectionTotals[]) => Promise<T>): Promise<T> {
  return readSnapshot(ctx.db, async (db) => {
    const snapshot = { ...ctx, db };
    return work(snapshot, await sectionTotals(snapshot, of.event, of.venue, of.now, of.sectionId));
  });
}
