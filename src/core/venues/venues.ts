// Venues and their seat maps: reserved sections (rows of numbered seats) and general admission.
import { sql } from '../../db/kysely.js';
import { dialectOf } from '../../db/dialect.js';
import { lockRow, type Queryable, type Trx } from '../../db/transaction.js';
import { foldKey } from '../../db/fold.js';
import { writeUnique } from '../unique.js';
import { setOf, setWithKey, type FieldChanges } from '../changes.js';
import type { Seat, Section, Venue } from '../../db/schema.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { resolveByIdOrName } from '../references.js';

export interface VenueView {
  id: number;
  name: string;
  city: string;
  timezone: string;
  createdAt: string;
}

export const venueView = (v: Venue): VenueView => ({
  id: v.id,
  name: v.name,
  city: v.city,
  timezone: v.timezone,
  createdAt: v.created_at,
});

export function validateTimezone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw invalid(`unknown time zone ${JSON.stringify(tz)}`, 'use an IANA name such as Europe/Lisbon');
  }
  return tz;
}

/** A trimmed, non-empty name of plain one-line text; `field` names it in a refusal (default: `venue name` for `a venue`). */
export function validateName(input: string, what: string, field = `${what.replace(/^an? /, '')} name`): string {
  const name = input.trim();
  if (!name) throw invalid(`${what} needs a name`);
  return plainText(name, field);
}

/** Adds a venue; names are unique, case-insensitively (by their key, src/db/fold.ts). */
export async function addVenue(ctx: CoreContext, input: { name: string; city: string; timezone?: string }): Promise<VenueView> {
  requireRole(ctx.actor, 'manage_venues');
  const name = validateName(input.name, 'a venue');
  const city = validateName(input.city, 'a city', 'city');
  const timezone = validateTimezone(input.timezone ?? 'UTC');
  // Correct under concurrency by the unique index venues_name (name_key): see writeUnique.
  return writeUnique(ctx.db, async (trx) => {
    const clash = await trx.selectFrom('venues').select('id').where('name_key', '=', foldKey(name)).executeTakeFirst();
    if (clash) throw new BoxofficeError('already_exists', `a venue called ${name} already exists (id ${clash.id})`);
    return venueView(await insertVenue(trx, ctx, { name, city, timezone }));
  });
}

/**
 * The one writer of a new venue, inside the caller's transaction (the command's, an import's):
 * the row and its `venue.created` event. An import gives the external id, which the event then carries.
 */
export async function insertVenue(trx: Trx, ctx: CoreContext, values: { name: string; city: string; timezone: string; external_id?: string | null }): Promise<Venue> {
  const venue = await trx
    .insertInto('venues')
    .values({ ...values, name_key: foldKey(values.name), created_at: nowIso(ctx) })
    .returningAll()
    .executeTakeFirstOrThrow();
  const data = values.external_id === undefined ? venueView(venue) : { ...venueView(venue), externalId: venue.external_id };
  await recordEvents(trx, ctx, [{ type: 'venue.created', subject: `venue/${venue.id}`, data: data as never }]);
  return venue;
}

/** The one writer of a venue's changed fields, inside the caller's transaction, with its `venue.updated` event. */
export async function updateVenue(trx: Trx, ctx: CoreContext, venueId: number, changes: FieldChanges): Promise<void> {
  await trx.updateTable('venues').set(setWithKey(changes, 'name')).where('id', '=', venueId).execute();
  await recordEvents(trx, ctx, [{ type: 'venue.updated', subject: `venue/${venueId}`, data: { id: venueId, changes } }]);
}

export async function findVenue(db: Queryable, ref: string): Promise<Venue> {
  return resolveByIdOrName(db, 'venues', ref);
}

export async function listVenues(ctx: CoreContext): Promise<VenueView[]> {
  return (await ctx.db.selectFrom('venues').selectAll().orderBy('id').execute()).map(venueView);
}

/** A venue and its sections, as `venue show` shows it. */
export async function showVenue(ctx: CoreContext, ref: string): Promise<VenueView & { sections: SectionSummary[] }> {
  const venue = await findVenue(ctx.db, ref);
  return { ...venueView(venue), sections: await venueSections(ctx.db, venue.id) };
}

/** Row labels from a range such as `A-T`, `AA-AD` or `1-20`. */
export function expandRowRange(range: string): string[] {
  const m = /^\s*([A-Za-z]+|\d+)\s*(?:-\s*([A-Za-z]+|\d+))?\s*$/.exec(range);
  if (!m) throw invalid(`rows must be a range such as A-T or 1-20, not ${JSON.stringify(range)}`);
  const [, from, to = from] = m;
  if (/^\d+$/.test(from) !== /^\d+$/.test(to)) throw invalid(`rows ${range} mix letters and numbers`);
  if (/^\d+$/.test(from)) return numberRange(Number(from), Number(to), 'rows').map(String);
  const a = lettersToIndex(from.toUpperCase());
  const b = lettersToIndex(to.toUpperCase());
  if (b < a) throw invalid(`rows ${range} run backwards`);
  if (b - a >= 1000) throw invalid(`rows ${range}: at most 1000 rows in one block`);
  const rows: string[] = [];
  for (let i = a; i <= b; i++) rows.push(indexToLetters(i));
  return rows;
}

/** Seat numbers from a range such as `1-30`. */
export function numberRange(from: number, to: number, what: string): number[] {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) {
    throw invalid(`${what} must be a range such as 1-30`);
  }
  if (to - from >= 5000) throw invalid(`${what}: at most 5000 in one row`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function parseNumberRange(range: string, what: string): number[] {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(range);
  if (!m) throw invalid(`${what} must be a range such as 1-30, not ${JSON.stringify(range)}`);
  return numberRange(Number(m[1]), Number(m[2] ?? m[1]), what);
}

// A=1 … Z=26, AA=27 …: spreadsheet-style row letters.
function lettersToIndex(s: string): number {
  let n = 0;
  for (const ch of s) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
function indexToLetters(n: number): string {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export interface ReservedBlock {
  section: string;
  rows: string;
  seats: string;
  zone?: string;
}

/** What a section name may not be, worded after the name (`cannot contain …`), as a command's refusal and an import's line both say it. */
export function sectionNameProblem(name: string): string | undefined {
  return /[:,]/.test(name) ? "cannot contain ':' or ','" : undefined;
}

function validateSectionName(input: string): string {
  const name = validateName(input, 'a section');
  const problem = sectionNameProblem(name);
  if (problem) throw invalid(`section names ${problem}: ${JSON.stringify(name)}`);
  return name;
}

/** The most people a general-admission section holds. */
export const MAX_GA_CAPACITY = 1_000_000;

/** The venue's section of that name (by its key), if any. */
async function sectionNamed(trx: Trx, venueId: number, name: string): Promise<Section | undefined> {
  return trx.selectFrom('sections').selectAll().where('venue_id', '=', venueId).where('name_key', '=', foldKey(name)).executeTakeFirst();
}

/** A section of the other kind cannot take this block or capacity. */
function assertSectionKind(existing: Section, kind: Section['kind']): void {
  if (existing.kind !== kind) {
    throw new BoxofficeError('already_exists', `section ${existing.name} already exists as ${existing.kind === 'ga' ? 'general admission' : 'reserved'}`);
  }
}

/** The one writer of a new section, inside the caller's transaction: it goes after the venue's others. */
export async function insertSection(trx: Trx, venueId: number, name: string, kind: Section['kind'], fields: { capacity?: number; zone?: string | null }): Promise<Section> {
  const position = Number(
    (
      await trx
        .selectFrom('sections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('venue_id', '=', venueId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return trx
    .insertInto('sections')
    .values({ venue_id: venueId, name, name_key: foldKey(name), kind, capacity: fields.capacity ?? null, zone: fields.zone ?? null, position })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A reserved seat as a seat map gives it, before it belongs to a section. */
export type NewSeat = Omit<Seat, 'id' | 'section_id'>;

/** Seats in one INSERT: 11 values a seat stay well under SQLite's limit on bound parameters. */
const SEATS_PER_INSERT = 500;

/**
 * The one writer of a reserved section's seats, inside the caller's transaction (a generated
 * block's, an import's): new seats in batches, changed ones updated, and the section's
 * `seatmap.changed` event. `skipExisting` adds a seat that is already there as nothing (a block
 * drawn again, or by two terminals at once: `on conflict do nothing` on seats_place); without it
 * such a seat is an error, as a plan that saw it missing must not miss it. Given `updated` (an
 * import), the event says how many seats changed. Returns how many seats were added.
 */
export async function writeSeats(
  trx: Trx,
  ctx: CoreContext,
  venueId: number,
  section: Pick<Section, 'id' | 'name'>,
  seats: { added: NewSeat[]; updated?: { id: number; set: FieldChanges }[]; skipExisting?: boolean },
): Promise<number> {
  let added = 0;
  for (let i = 0; i < seats.added.length; i += SEATS_PER_INSERT) {
    const values = seats.added.slice(i, i + SEATS_PER_INSERT).map((s) => ({ ...s, section_id: section.id }));
    const insert = trx.insertInto('seats').values(values);
    const res = await (seats.skipExisting ? insert.onConflict((oc) => oc.doNothing()) : insert).executeTakeFirst();
    added += seats.skipExisting ? Number(res.numInsertedOrUpdatedRows ?? 0n) : values.length;
  }
  for (const { id, set } of seats.updated ?? []) await trx.updateTable('seats').set(setOf(set)).where('id', '=', id).execute();
  const counts = seats.updated ? { seatsAdded: added, seatsUpdated: seats.updated.length } : { seatsAdded: added };
  await recordEvents(trx, ctx, [{ type: 'seatmap.changed', subject: `venue/${venueId}`, data: { venueId, section: section.name, kind: 'reserved', ...counts } }]);
  return added;
}

/**
 * The one writer of a general-admission section, inside the caller's transaction (the command's,
 * an import's): made if `section` is a new name, else given its capacity (and zone, when one is
 * given), with its `seatmap.changed` event. Checking that it may change is the caller's.
 */
export async function writeGaSection(trx: Trx, ctx: CoreContext, venueId: number, section: Section | string, fields: { capacity: number; zone?: string | null }): Promise<Section> {
  let written: Section;
  if (typeof section === 'string') written = await insertSection(trx, venueId, section, 'ga', fields);
  else {
    const zone = fields.zone ?? section.zone;
    await trx.updateTable('sections').set({ capacity: fields.capacity, zone }).where('id', '=', section.id).execute();
    written = { ...section, capacity: fields.capacity, zone };
  }
  await recordEvents(trx, ctx, [{ type: 'seatmap.changed', subject: `venue/${venueId}`, data: { venueId, section: written.name, kind: 'ga', capacity: fields.capacity } }]);
  return written;
}

/** Whether any event at the venue has a ticket, sold or held: its seat map can then only grow. */
export async function venueHasTickets(db: Queryable, venueId: number): Promise<boolean> {
  const ticket = await db.selectFrom('tickets').innerJoin('events', 'events.id', 'tickets.event_id').select('tickets.id').where('events.venue_id', '=', venueId).limit(1).executeTakeFirst();
  return ticket !== undefined;
}

async function assertSeatMapEditable(trx: Trx, venueId: number): Promise<void> {
  if (await venueHasTickets(trx, venueId)) {
    throw new BoxofficeError('invalid_state', 'this venue already has tickets sold or held; its seat map can only grow, not be redrawn', 'add new sections or rows instead');
  }
}

export interface SeatMapChange {
  venue: VenueView;
  section: string;
  kind: Section['kind'];
  seatsAdded: number;
  capacity?: number;
}

/** Adds a block of reserved seats (rows × numbers) to a section, creating the section if needed. */
export async function generateReservedBlock(ctx: CoreContext, venueRef: string, block: ReservedBlock): Promise<SeatMapChange> {
  requireRole(ctx.actor, 'manage_venues');
  const sectionName = validateSectionName(block.section);
  plainText(block.zone, 'zone');
  const rows = expandRowRange(block.rows);
  const numbers = parseNumberRange(block.seats, 'seats');
  if (rows.length * numbers.length > 200_000) throw invalid('at most 200,000 seats in one block');
  // A section made by two terminals at once: the unique index sections_name, see writeUnique.
  // Seats: `on conflict do nothing` on seats_place, so a seat added twice is added once.
  return writeUnique(ctx.db, async (trx) => {
    const venue = await findVenue(trx, venueRef);
    const found = await sectionNamed(trx, venue.id, sectionName);
    if (found) assertSectionKind(found, 'reserved');
    const section = found ?? (await insertSection(trx, venue.id, sectionName, 'reserved', {}));
    const existingRows = await trx.selectFrom('seats').select(['row_label_key', 'row_rank']).distinct().where('section_id', '=', section.id).execute();
    const rankOf = new Map(existingRows.map((r) => [r.row_label_key, r.row_rank]));
    let nextRank = existingRows.reduce((m, r) => Math.max(m, r.row_rank + 1), 0);
    const values: NewSeat[] = [];
    for (const row of rows) {
      const rowKey = foldKey(row);
      let rank = rankOf.get(rowKey);
      if (rank === undefined) {
        rank = nextRank++;
        rankOf.set(rowKey, rank);
      }
      for (const number of numbers) {
        values.push({ row_label: row, row_label_key: rowKey, row_rank: rank, number, zone: block.zone ?? null, accessible: 0, obstructed: 0, x: null, y: null });
      }
    }
    const added = await writeSeats(trx, ctx, venue.id, section, { added: values, skipExisting: true });
    return { venue: venueView(venue), section: section.name, kind: 'reserved' as const, seatsAdded: added };
  });
}

/** Creates or resizes a general-admission section. */
export async function generateGaSection(ctx: CoreContext, venueRef: string, input: { section: string; capacity: number; zone?: string }): Promise<SeatMapChange> {
  requireRole(ctx.actor, 'manage_venues');
  const sectionName = validateSectionName(input.section);
  plainText(input.zone, 'zone');
  if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_GA_CAPACITY) {
    throw invalid('capacity must be a whole number from 1 to 1,000,000');
  }
  return writeUnique(ctx.db, async (trx) => {
    const venue = await findVenue(trx, venueRef);
    const existing = await trx.selectFrom('sections').select('id').where('venue_id', '=', venue.id).where('name_key', '=', foldKey(sectionName)).executeTakeFirst();
    if (existing) {
      // PostgreSQL: a GA sale holds its section's row (FOR NO KEY UPDATE) until it commits; taking
      // it here first makes the check below see that sale's tickets, so a capacity is never set
      // below what a sale under way sells.
      await lockRow(trx, 'sections', existing.id, 'no key update');
      await assertSeatMapEditable(trx, venue.id);
    }
    const found = existing ? await sectionNamed(trx, venue.id, sectionName) : undefined;
    if (found) assertSectionKind(found, 'ga');
    const section = await writeGaSection(trx, ctx, venue.id, found ?? sectionName, { capacity: input.capacity, zone: input.zone });
    return { venue: venueView(venue), section: section.name, kind: 'ga' as const, seatsAdded: 0, capacity: input.capacity };
  });
}

export interface SectionSummary {
  id: number;
  name: string;
  kind: Section['kind'];
  zone: string | null;
  capacity: number;
  rows: number;
}

export async function venueSections(db: Queryable, venueId: number): Promise<SectionSummary[]> {
  const rows = await db
    .selectFrom('sections')
    .leftJoin('seats', 'seats.section_id', 'sections.id')
    .select((eb) => [
      'sections.id',
      'sections.name',
      'sections.kind',
      'sections.zone',
      'sections.capacity',
      eb.fn.count<number>('seats.id').as('seat_count'),
      eb.fn.count<number>('seats.row_label').distinct().as('row_count'),
      dialectOf(db).groupConcat(sql`seats.zone`, ',', undefined, { distinct: true }).as('seat_zones'),
    ])
    .where('sections.venue_id', '=', venueId)
    .groupBy('sections.id')
    .orderBy('sections.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    // A reserved section's zones are its seats' (a block can be given one with --zone).
    zone: r.zone ?? (r.seat_zones ? r.seat_zones.split(',').sort().join(', ') : null),
    capacity: r.kind === 'ga' ? (r.capacity ?? 0) : Number(r.seat_count),
    rows: Number(r.row_count),
  }));
}
