// Which places an order takes: named seats, the best N adjacent, or N general-admission places.
import { sql } from '../../db/kysely.js';
import { lockRow, type Trx } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import { foldKey, sameName } from '../../db/fold.js';
import type { EventRow, Section } from '../../db/schema.js';
import { BoxofficeError, invalid, notFound } from '../errors.js';
import { bestAvailable, type SectionPlaces } from '../inventory/best-available.js';
import { claimStatus, gaUsage, loadSeatStates } from '../inventory/availability.js';
import { checkSeatRefs, seatLabel, seatText, type SeatRef } from '../inventory/seat-refs.js';

export interface SeatSelection {
  /** These seats. */
  seats?: readonly SeatRef[];
  /** The best N adjacent seats. */
  best?: number;
  /** N general-admission places. */
  quantity?: number;
  /** Limits `best` or picks the GA section for `quantity`. */
  section?: string;
}

/** One place an order takes: a reserved seat or a general-admission place. */
export interface Place {
  sectionId: number;
  sectionName: string;
  sectionPosition: number;
  seatId: number | null;
  row: string | null;
  rowRank: number;
  number: number | null;
  zone: string | null;
}

/** Checks the shape of a selection before any database work; returns how many places it asks for. */
export function selectionSize(sel: SeatSelection): number {
  const given = [sel.seats !== undefined, sel.best !== undefined, sel.quantity !== undefined].filter(Boolean).length;
  if (given !== 1) throw invalid('choose seats, the best N together, or N standing places: one of them').because('selection_not_one', {});
  if (sel.seats !== undefined) return checkSeatRefs(sel.seats).length;
  const n = (sel.best ?? sel.quantity) as number;
  const what = sel.best !== undefined ? 'best' : 'quantity';
  if (!Number.isInteger(n) || n < 1) throw invalid(`${what === 'best' ? 'the best N seats' : 'the number of places'} must be a whole number of at least 1`).because('count_too_small', { what });
  return n;
}

const sectionsOfVenue = prepared((db, p: { venueId: number }) => db.selectFrom('sections').selectAll().where('venue_id', '=', p.venueId).orderBy('position'));

async function venueSections(trx: Trx, event: EventRow): Promise<Section[]> {
  return sectionsOfVenue.all(trx, { venueId: event.venue_id });
}

/**
 * A named seat with its claim for the event, looked up by index: one query per seat, since an OR
 * over them all lets SQLite's planner fall back to scanning the venue (a stadium has tens of
 * thousands of seats). `sectionId` limits it to one section; 0 means any reserved one.
 */
const seatWithClaim = prepared((db, p: { venueId: number; eventId: number; sectionId: number; rowKey: string; number: number }) =>
  db
    .selectFrom('seats')
    .innerJoin('sections', 'sections.id', 'seats.section_id')
    .leftJoin('seat_claims', (join) => join.onRef('seat_claims.seat_id', '=', 'seats.id').on('seat_claims.event_id', '=', p.eventId))
    .select([
      'seats.id',
      'seats.section_id',
      'seats.row_label',
      'seats.row_rank',
      'seats.number',
      'seats.zone',
      'sections.name as section',
      'sections.zone as section_zone',
      'seat_claims.status',
      'seat_claims.expires_at',
      'seat_claims.reason',
    ])
    .where('sections.venue_id', '=', p.venueId)
    .where('sections.kind', '=', 'reserved')
    .where((eb) => eb.or([eb(sql.lit(0), '=', p.sectionId), eb('seats.section_id', '=', p.sectionId)]))
    .where('seats.row_label_key', '=', p.rowKey)
    .where('seats.number', '=', p.number),
);

/** A section of the venue by name (case-insensitive); an unknown one is not_found, listing them. */
export function pickSection(sections: Pick<Section, 'id' | 'name'>[], name: string): Section {
  const found = sections.find((s) => sameName(s.name, name.trim()));
  if (!found) throw notFound(`no section ${JSON.stringify(name.trim())} at this venue`, `sections: ${sections.map((s) => s.name).join(', ')}`);
  return found as Section;
}

/**
 * Resolves a selection to free places, inside the transaction that will claim them, so what is
 * checked here is what gets sold. Taken, held or blocked seats are refused (seat_unavailable) and named.
 */
export async function choosePlaces(trx: Trx, event: EventRow, sel: SeatSelection, now: string): Promise<Place[]> {
  const sections = await venueSections(trx, event);
  const reserved = sections.filter((s) => s.kind === 'reserved');
  const qualify = reserved.length > 1;
  if (sel.seats !== undefined) return namedSeats(trx, event, sections, sel.seats, now, qualify);
  if (sel.best !== undefined) {
    const scope = sel.section ? [pickSection(sections, sel.section)] : reserved;
    if (scope.some((s) => s.kind === 'ga')) throw invalid(`section ${scope[0].name} is general admission`).because('section_is_standing', { section: scope[0].name });
    if (scope.length === 0) throw invalid('this event has no reserved seating').because('no_reserved_seating', {});
    return bestSeats(trx, event, scope, sel.best, now, qualify);
  }
  const ga = sections.filter((s) => s.kind === 'ga');
  let section: Section;
  if (sel.section) {
    section = pickSection(sections, sel.section);
    if (section.kind !== 'ga') throw invalid(`section ${section.name} has reserved seats`).because('section_is_reserved', { section: section.name });
  } else if (ga.length === 1) {
    section = ga[0];
  } else if (ga.length === 0) {
    throw invalid('this event has no general-admission section').because('no_standing_section', {});
  } else {
    throw invalid(`this event has several general-admission sections: say which (${ga.map((s) => s.name).join(', ')})`).because('standing_section_not_chosen', { sections: ga.map((s) => s.name) });
  }
  const n = sel.quantity as number;
  // GA capacity is a count, which no constraint guards: on PostgreSQL two sales would both count
  // the same free places and oversell. Each GA sale locks its section's row (NO KEY UPDATE: it
  // queues GA sales of this section, not ticket inserts, whose foreign key takes KEY SHARE) before
  // counting, so the count it sees includes every sale that committed before it and none is under
  // way; the lock ends at commit. Seated sections and other GA sections are not held up.
  // Capacity and zone are the locked row's, as committed now: the section read above may be older
  // than a resize that committed while this sale waited for the lock (a shrink would be oversold,
  // a growth refused, a new zone priced as the old one). On SQLite lockRow reads nothing, and the
  // row read above is current.
  const locked = (await lockRow(trx, 'sections', section.id, 'no key update')) ?? section;
  const used = (await gaUsage(trx, event.id, now)).get(section.id) ?? { held: 0, sold: 0 };
  const free = (locked.capacity ?? 0) - used.held - used.sold;
  if (free < n) {
    throw new BoxofficeError('sold_out', `only ${Math.max(free, 0)} place${free === 1 ? '' : 's'} left in ${section.name}, not ${n}`, undefined, { available: Math.max(free, 0) });
  }
  return Array.from({ length: n }, () => ({
    sectionId: locked.id,
    sectionName: locked.name,
    sectionPosition: locked.position,
    seatId: null,
    row: null,
    rowRank: 0,
    number: null,
    zone: locked.zone,
  }));
}

async function namedSeats(trx: Trx, event: EventRow, sections: Section[], input: readonly SeatRef[], now: string, qualify: boolean): Promise<Place[]> {
  const refs = checkSeatRefs(input);
  const sectionById = new Map(sections.map((s) => [s.id, s]));
  const rows = [];
  for (const r of refs) {
    // Names are the same name when their keys are (src/db/fold.ts): Balcão is BALCÃO.
    const sectionIds = r.section === undefined ? [0] : sections.filter((s) => s.kind === 'reserved' && sameName(s.name, r.section!)).map((s) => s.id);
    for (const sectionId of sectionIds) {
      rows.push(...(await seatWithClaim.all(trx, { venueId: event.venue_id, eventId: event.id, sectionId, rowKey: foldKey(r.row), number: r.number })));
    }
  }
  const places: Place[] = [];
  const taken: string[] = [];
  for (const ref of refs) {
    const matches = rows.filter((r) => sameName(r.row_label, ref.row) && r.number === ref.number && (ref.section === undefined || sameName(r.section, ref.section)));
    if (matches.length === 0) {
      if (ref.section !== undefined && !sections.some((s) => sameName(s.name, ref.section!))) {
        throw notFound(`no section ${JSON.stringify(ref.section)} at this venue`, `sections: ${sections.map((s) => s.name).join(', ')}`);
      }
      throw notFound(`no seat ${seatText(ref)} at this venue`).because('seat_not_at_venue', { seat: seatText(ref) });
    }
    if (matches.length > 1) {
      // In seat-map order: the rows come in whatever order the database's plan gives them.
      const position = new Map(sections.map((s, i) => [s.id, i]));
      matches.sort((a, b) => position.get(a.section_id)! - position.get(b.section_id)!);
      throw new BoxofficeError('ambiguous_reference', `seat ${seatText(ref)} is in several sections: say which (${matches.map((m) => `${m.section}:${seatText(ref)}`).join(', ')})`);
    }
    const m = matches[0];
    const status = claimStatus(m.status, m.expires_at, now);
    const label = seatLabel({ section: m.section, row: m.row_label, number: m.number }, qualify);
    if (status !== 'available') taken.push(status === 'blocked' ? `${label} is blocked${m.reason ? ` (${m.reason})` : ''}` : `${label} is ${status}`);
    places.push({
      sectionId: m.section_id,
      sectionName: m.section,
      sectionPosition: sectionById.get(m.section_id)?.position ?? 0,
      seatId: m.id,
      row: m.row_label,
      rowRank: m.row_rank,
      number: m.number,
      zone: m.zone ?? m.section_zone,
    });
  }
  if (taken.length) {
    throw new BoxofficeError('seat_unavailable', `not available: ${taken.join(', ')}`, 'choose other seats', { seats: taken }).because('seats_taken', { seats: taken });
  }
  return places.sort((a, b) => a.sectionPosition - b.sectionPosition || a.rowRank - b.rowRank || (a.number ?? 0) - (b.number ?? 0));
}

async function bestSeats(trx: Trx, event: EventRow, scope: Section[], n: number, now: string, qualify: boolean): Promise<Place[]> {
  const states = await loadSeatStates(trx, event, now, scope.length === 1 ? scope[0].id : undefined);
  const bySection: SectionPlaces[] = scope.map((s) => ({ sectionId: s.id, sectionName: s.name, position: s.position, places: [] }));
  const index = new Map(bySection.map((s) => [s.sectionId, s]));
  const zoneOf = new Map<number, string | null>();
  for (const st of states) {
    const target = index.get(st.sectionId);
    if (!target) continue;
    target.places.push({ seatId: st.seatId, sectionId: st.sectionId, rowRank: st.rowRank, row: st.row, number: st.number, x: st.x, free: st.status === 'available' });
    zoneOf.set(st.seatId, st.zone);
  }
  const { choice, largest } = bestAvailable(bySection, n);
  if (!choice) {
    const where = largest
      ? `the largest free block is ${largest.size} (${qualify ? `${largest.sectionName} ` : ''}row ${largest.row}, ${largest.from === largest.to ? `seat ${largest.from}` : `seats ${largest.from}-${largest.to}`})`
      : 'no seats are free';
    throw new BoxofficeError('no_adjacent_seats', `no ${n} adjacent seats free: ${where}`, 'ask for fewer seats together, or name the seats', {
      largestBlock: largest?.size ?? 0,
    }).because('no_adjacent_block', { count: n });
  }
  const section = scope.find((s) => s.name === choice.sectionName)!;
  return choice.seats.map((p) => ({
    sectionId: p.sectionId,
    sectionName: choice.sectionName,
    sectionPosition: section.position,
    seatId: p.seatId,
    row: p.row,
    rowRank: p.rowRank,
    number: p.number,
    zone: zoneOf.get(p.seatId) ?? null,
  }));
}
