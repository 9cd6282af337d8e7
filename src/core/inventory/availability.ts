// What is free for an event, computed from the claims themselves on every read: a hold whose
// time has passed counts as free even if no sweep has run yet.
import type { Queryable } from '../../db/transaction.js';
import type { EventRow, Venue } from '../../db/schema.js';
import { seatLabel } from './seat-refs.js';

/** How many reserved sections the event's venue has: seat references name the section only when it is more than one. */
export async function reservedSectionCount(db: Queryable, eventId: number): Promise<number> {
  const row = await db
    .selectFrom('sections')
    .innerJoin('events', 'events.venue_id', 'sections.venue_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('events.id', '=', eventId)
    .where('sections.kind', '=', 'reserved')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type SeatStatus = 'available' | 'held' | 'sold' | 'blocked';

export interface SeatState {
  seatId: number;
  sectionId: number;
  section: string;
  row: string;
  rowRank: number;
  number: number;
  x: number | null;
  y: number | null;
  zone: string | null;
  accessible: boolean;
  obstructed: boolean;
  status: SeatStatus;
}

/** Every reserved seat of the event's venue with its status at `now`, by section, row and number. */
export async function loadSeatStates(
  db: Queryable,
  event: Pick<EventRow, 'id' | 'venue_id'>,
  now: string,
  sectionId?: number,
): Promise<SeatState[]> {
  // Seats section by section in index order, claims in one pass: no join or sort per seat, which
  // is what a stadium of 80,000 seats needs to draw in well under a second.
  let sq = db.selectFrom('sections').select(['id', 'name', 'zone']).where('venue_id', '=', event.venue_id).where('kind', '=', 'reserved');
  if (sectionId !== undefined) sq = sq.where('id', '=', sectionId);
  const sections = await sq.orderBy('position').execute();
  const claims = new Map<number, SeatStatus>();
  for (const c of await db.selectFrom('seat_claims').select(['seat_id', 'status', 'expires_at']).where('event_id', '=', event.id).execute()) {
    claims.set(c.seat_id, claimStatus(c.status, c.expires_at, now));
  }
  const states: SeatState[] = [];
  for (const section of sections) {
    const seats = await db
      .selectFrom('seats')
      .select(['id', 'row_label', 'row_rank', 'number', 'x', 'y', 'zone', 'accessible', 'obstructed'])
      .where('section_id', '=', section.id)
      .orderBy('row_rank')
      .orderBy('number')
      .execute();
    for (const r of seats) {
      states.push({
        seatId: r.id,
        sectionId: section.id,
        section: section.name,
        row: r.row_label,
        rowRank: r.row_rank,
        number: r.number,
        x: r.x,
        y: r.y,
        zone: r.zone ?? section.zone,
        accessible: r.accessible === 1,
        obstructed: r.obstructed === 1,
        status: claims.get(r.id) ?? 'available',
      });
    }
  }
  return states;
}

export function claimStatus(status: string | null, expiresAt: string | null, now: string): SeatStatus {
  if (status === null) return 'available';
  if (status === 'held' && expiresAt !== null && expiresAt <= now) return 'available';
  return status as SeatStatus;
}

export interface GaUsage {
  held: number;
  sold: number;
}

/** Tickets held (unexpired) and sold per general-admission section of the event. */
export async function gaUsage(db: Queryable, eventId: number, now: string): Promise<Map<number, GaUsage>> {
  const rows = await db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .select(['tickets.section_id', 'tickets.status', 'orders.expires_at'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tickets.event_id', '=', eventId)
    .where('tickets.seat_id', 'is', null)
    .where('tickets.status', '!=', 'void')
    .groupBy(['tickets.section_id', 'tickets.status', 'orders.expires_at'])
    .execute();
  const usage = new Map<number, GaUsage>();
  for (const r of rows) {
    const u = usage.get(r.section_id) ?? { held: 0, sold: 0 };
    if (r.status === 'held') {
      if (r.expires_at !== null && r.expires_at > now) u.held += Number(r.n);
    } else {
      u.sold += Number(r.n);
    }
    usage.set(r.section_id, u);
  }
  return usage;
}

export interface ReservedSectionView {
  id: number;
  name: string;
  kind: 'reserved';
  capacity: number;
  available: number;
  held: number;
  sold: number;
  blocked: number;
  seats: { seat: string; row: string; number: number; zone: string | null; status: SeatStatus; accessible: boolean; obstructed: boolean; x: number | null; y: number | null }[];
}

export interface GaSectionView {
  id: number;
  name: string;
  kind: 'ga';
  zone: string | null;
  capacity: number;
  available: number;
  held: number;
  sold: number;
}

export type SectionAvailability = ReservedSectionView | GaSectionView;

/** The event's sections with every seat's status (reserved) or counts (general admission). */
export async function eventAvailability(
  db: Queryable,
  event: EventRow,
  venue: Venue,
  now: string,
  sectionId?: number,
): Promise<SectionAvailability[]> {
  let sq = db.selectFrom('sections').selectAll().where('venue_id', '=', venue.id).orderBy('position');
  if (sectionId !== undefined) sq = sq.where('id', '=', sectionId);
  const sections = await sq.execute();
  const reservedCount = await reservedSectionCount(db, event.id);
  const seats = await loadSeatStates(db, event, now, sectionId);
  const usage = await gaUsage(db, event.id, now);
  const bySection = new Map<number, SeatState[]>();
  for (const s of seats) {
    const list = bySection.get(s.sectionId);
    if (list) list.push(s);
    else bySection.set(s.sectionId, [s]);
  }
  return sections.map((sec): SectionAvailability => {
    if (sec.kind === 'ga') {
      const u = usage.get(sec.id) ?? { held: 0, sold: 0 };
      const capacity = sec.capacity ?? 0;
      return { id: sec.id, name: sec.name, kind: 'ga', zone: sec.zone, capacity, available: Math.max(0, capacity - u.held - u.sold), held: u.held, sold: u.sold };
    }
    const list = bySection.get(sec.id) ?? [];
    const counts = { available: 0, held: 0, sold: 0, blocked: 0 };
    for (const s of list) counts[s.status]++;
    return {
      id: sec.id,
      name: sec.name,
      kind: 'reserved',
      capacity: list.length,
      ...counts,
      seats: list.map((s) => ({
        seat: seatLabel(s, reservedCount > 1),
        row: s.row,
        number: s.number,
        zone: s.zone,
        status: s.status,
        accessible: s.accessible,
        obstructed: s.obstructed,
        x: s.x,
        y: s.y,
      })),
    };
  });
}
