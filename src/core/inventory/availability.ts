// What is free for an event, computed from the claims themselves on every read: a hold whose
// time has passed counts as free even if no sweep has run yet.
import type { Queryable } from '../../db/transaction.js';
import type { EventRow, Venue } from '../../db/schema.js';
import { sql } from '../../db/kysely.js';
import { dialectOf } from '../../db/dialect.js';
import { seatLabel } from './seat-refs.js';
import type { CoreContext } from '../context.js';

type Tail<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

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
export async function loadSeatStates(db: Queryable, event: Pick<EventRow, 'id' | 'venue_id'>, now: string, sectionId?: number): Promise<SeatState[]> {
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

export interface SeatView {
  seat: string;
  row: string;
  number: number;
  zone: string | null;
  status: SeatStatus;
  accessible: boolean;
  obstructed: boolean;
  x: number | null;
  y: number | null;
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
  seats: SeatView[];
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

/** A reserved section's counts, without its seats. */
export type ReservedSectionTotals = Omit<ReservedSectionView, 'seats'>;

/** A section of the event's venue with its counts: what `seats --json` says about it before any seat. */
export type SectionTotals = ReservedSectionTotals | GaSectionView;

// A seat's zone when it has none of its own (one lookup per query, not per seat).
const sectionZone = (sectionId: number) => sql<string | null>`(select zone from sections where id = ${sectionId})`;

// claimStatus() as SQL, for the seat `s`, written as `names` says. The event's claims are read
// once into a list per status (SQLite materializes an IN subquery, with a Bloom filter), so a
// seat costs a look-up in a short list rather than in the index of every event's claims.
const seatStatusSql = (eventId: number, now: string, names: Record<SeatStatus, string>) => {
  const claimed = (status: Exclude<SeatStatus, 'available'>) =>
    status === 'held'
      ? sql`s.id in (select seat_id from seat_claims where event_id = ${eventId} and status = 'held' and not (expires_at is not null and expires_at <= ${now}))`
      : sql`s.id in (select seat_id from seat_claims where event_id = ${eventId} and status = ${sql.lit(status)})`;
  return sql<string>`case when ${claimed('sold')} then ${sql.lit(names.sold)} when ${claimed('held')} then ${sql.lit(names.held)} when ${claimed('blocked')} then ${sql.lit(names.blocked)} else ${sql.lit(names.available)} end`;
};
const STATUS_NAMES: Record<SeatStatus, SeatStatus> = { available: 'available', held: 'held', sold: 'sold', blocked: 'blocked' };

/**
 * The event's sections in seat-map order with their counts (reserved: capacity and seats by
 * status; GA: places held and sold). Reads no seat one by one: an 80,000-seat stadium costs two
 * aggregate queries.
 */
export async function sectionTotals(ctx: CoreContext, event: Pick<EventRow, 'id'>, venue: Pick<Venue, 'id'>, now: string, sectionId?: number): Promise<SectionTotals[]> {
  const { db } = ctx;
  let sq = db.selectFrom('sections').select(['id', 'name', 'kind', 'capacity', 'zone']).where('venue_id', '=', venue.id).orderBy('position');
  if (sectionId !== undefined) sq = sq.where('id', '=', sectionId);
  const sections = await sq.execute();
  const reservedIds = sections.filter((s) => s.kind === 'reserved').map((s) => s.id);
  const counts = new Map<number, { capacity: number; available: number; held: number; sold: number; blocked: number }>();
  if (reservedIds.length > 0) {
    const sizes = await db
      .selectFrom('seats')
      .select(['section_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('section_id', 'in', reservedIds)
      .groupBy('section_id')
      .execute();
    for (const s of sizes) counts.set(s.section_id, { capacity: Number(s.n), available: Number(s.n), held: 0, sold: 0, blocked: 0 });
    // From the claims to their seats (CROSS JOIN keeps SQLite to that order): an event has far
    // fewer claims than its venue has seats.
    const claimed = await db
      .selectFrom('seat_claims as c')
      .crossJoin('seats as s')
      .whereRef('s.id', '=', 'c.seat_id')
      .select(['s.section_id', 'c.status', (eb) => eb.fn.countAll<number>().as('n')])
      .select(sql<number>`sum(case when c.status = 'held' and c.expires_at is not null and c.expires_at <= ${now} then 1 else 0 end)`.as('lapsed'))
      .where('c.event_id', '=', event.id)
      .where('s.section_id', 'in', reservedIds)
      .groupBy(['s.section_id', 'c.status'])
      .execute();
    for (const c of claimed) {
      const n = counts.get(c.section_id);
      if (!n) continue;
      const taken = Number(c.n) - Number(c.lapsed ?? 0);
      n[c.status] += taken;
      n.available -= taken;
    }
  }
  const usage = sections.some((s) => s.kind === 'ga') ? await gaUsage(db, event.id, now) : new Map<number, GaUsage>();
  return sections.map((sec): SectionTotals => {
    if (sec.kind === 'ga') {
      const u = usage.get(sec.id) ?? { held: 0, sold: 0 };
      const capacity = sec.capacity ?? 0;
      return { id: sec.id, name: sec.name, kind: 'ga', zone: sec.zone, capacity, available: Math.max(0, capacity - u.held - u.sold), held: u.held, sold: u.sold };
    }
    const n = counts.get(sec.id) ?? { capacity: 0, available: 0, held: 0, sold: 0, blocked: 0 };
    return { id: sec.id, name: sec.name, kind: 'reserved', ...n };
  });
}

/** Every seat of a reserved section with its status at `now`, in row and seat order. */
async function sectionSeats(db: Queryable, eventId: number, section: Pick<ReservedSectionTotals, 'id' | 'name'>, now: string, qualify: boolean): Promise<SeatView[]> {
  const rows = await seatViewRows(db, eventId, section.id, now).execute();
  // The rows become the views in place (the columns are already in the view's order): one
  // object a seat, which is what a stadium of 80,000 seats can afford.
  const seats = rows as unknown as SeatView[];
  for (const r of rows) toSeatView(r, section.name, qualify);
  return seats;
}

type SeatViewRow = Omit<SeatView, 'accessible' | 'obstructed'> & { accessible: number | boolean; obstructed: number | boolean };

/** A row of seatViewRows made the SeatView it stands for, in place. */
function toSeatView(r: SeatViewRow, sectionName: string, qualify: boolean): SeatView {
  r.seat = seatLabel({ section: sectionName, row: r.row, number: r.number }, qualify);
  r.accessible = r.accessible === 1;
  r.obstructed = r.obstructed === 1;
  return r as SeatView;
}

/** The seats of a section with their statuses, as SeatView's columns in its order (the label still empty). */
function seatViewRows(db: Queryable, eventId: number, sectionId: number, now: string) {
  return db
    .selectFrom('seats as s')
    .select([
      sql<string>`''`.as('seat'),
      's.row_label as row',
      's.number',
      sql<string | null>`coalesce(s.zone, ${sectionZone(sectionId)})`.as('zone'),
      seatStatusSql(eventId, now, STATUS_NAMES).as('status'),
      's.accessible',
      's.obstructed',
      's.x',
      's.y',
    ])
    .where('s.section_id', '=', sectionId)
    .orderBy('s.row_rank')
    .orderBy('s.number')
    .$castTo<SeatViewRow>();
}

/** The event's sections with every seat's status (reserved) or counts (general admission). */
export async function eventAvailability(ctx: CoreContext, event: EventRow, venue: Venue, now: string, sectionId?: number): Promise<SectionAvailability[]> {
  const { db } = ctx;
  const sections = await sectionTotals(ctx, event, venue, now, sectionId);
  const qualify = (await reservedSectionCount(db, event.id)) > 1;
  const out: SectionAvailability[] = [];
  for (const s of sections) out.push(s.kind === 'ga' ? s : { ...s, seats: await sectionSeats(db, event.id, s, now, qualify) });
  return out;
}

// A coordinate as JSON.stringify writes it. Whole numbers are written by SQLite; a fraction is
// passed out between \u0001 marks (json_quote escapes any real \u0001, so a mark is never data)
// and written by JavaScript, whose shortest round-trip digits SQLite does not produce.
const coordinateJson = (column: 's.x' | 's.y') => {
  const c = sql.ref(column);
  return sql<string>`case typeof(${c}) when 'null' then 'null' when 'text' then json_quote(${c}) else case when ${c} = cast(${c} as integer) and abs(${c}) < 1e15 then cast(cast(${c} as integer) as text) else char(1) || ${c} || char(1) end end`;
};
const FRACTION = /\u0001([^\u0001]*)\u0001/g;

// SeatView's keys in order.
const SEAT_KEYS = ['seat', 'row', 'number', 'zone', 'status', 'accessible', 'obstructed', 'x', 'y'] as const;
type SeatKey = (typeof SEAT_KEYS)[number];

/**
 * A format() template for a seat's JSON object as JSON.stringify writes it: compact, or indented
 * as a seat sits in `seats --json` on a terminal (an array of sections, each with an array of
 * seats). Keys given in `fixed` are written as that JSON text; the others are %s arguments.
 */
function seatTemplate(pretty: boolean, fixed: Partial<Record<SeatKey, string>> = {}): string {
  const value = (k: SeatKey) => fixed[k]?.replace(/%/g, '%%') ?? '%s';
  return pretty ? `{\n${SEAT_KEYS.map((k) => `        "${k}": ${value(k)}`).join(',\n')}\n      }` : `{${SEAT_KEYS.map((k) => `"${k}":${value(k)}`).join(',')}}`;
}

/**
 * The seats of a reserved section as the text of their JSON array, byte for byte what
 * JSON.stringify(sectionSeats(…)) writes (compact, or indented as the seats of a section sit in
 * `seats --json` on a terminal), as pieces to write one after the other (the seats' text is
 * UTF-8 straight from SQLite). SQLite writes the text, so no seat becomes a JavaScript object:
 * 80,000 seats cost one query, a tenth of a second.
 */
export async function sectionSeatsJson(
  ctx: CoreContext,
  eventId: number,
  section: Pick<ReservedSectionTotals, 'id' | 'name'>,
  now: string,
  options: { qualify: boolean; pretty: boolean },
): Promise<(string | Uint8Array)[]> {
  const { db } = ctx;
  // The SQL below is SQLite's own (format, typeof, char, json_quote, a blob): elsewhere the same
  // text is written by JavaScript from a streamed read.
  if (dialectOf(db).name !== 'sqlite') return sectionSeatsJsonStreamed(db, eventId, section, now, options);
  const { zone } = await db.selectFrom('sections').select('zone').where('id', '=', section.id).executeTakeFirstOrThrow();
  const prefix = options.qualify ? `${section.name}:` : '';
  // Most seats have no zone, place or flag of their own: their template holds those fields as
  // written, which takes a third off SQLite's work per seat.
  const plain = seatTemplate(options.pretty, { zone: JSON.stringify(zone), accessible: 'false', obstructed: 'false', x: 'null', y: 'null' });
  const full = seatTemplate(options.pretty);
  const label = sql<string>`json_quote(${prefix} || s.row_label || '-' || s.number)`;
  const status = seatStatusSql(eventId, now, { available: '"available"', held: '"held"', sold: '"sold"', blocked: '"blocked"' });
  // The seats in the order of sectionSeats: SQLite keeps a subquery's ORDER BY when the query
  // around it aggregates with group_concat, and concatenates in the order the rows come
  // (test/seats-json.test.ts holds it to that, on seats stored out of order). An ORDER BY
  // inside group_concat would sort ten megabytes of text again.
  const result = await sql<{ json: Uint8Array | null }>`
    select cast(group_concat(j, ${options.pretty ? ',\n      ' : ','}) as blob) as json from (
      select case when s.zone is null and s.x is null and s.y is null and s.accessible = 0 and s.obstructed = 0
        then format(${plain}, ${label}, json_quote(s.row_label), s.number, ${status})
        else format(${full}, ${label}, json_quote(s.row_label), s.number, json_quote(coalesce(s.zone, ${zone})), ${status},
          case when s.accessible = 1 then 'true' else 'false' end, case when s.obstructed = 1 then 'true' else 'false' end,
          ${coordinateJson('s.x')}, ${coordinateJson('s.y')})
        end as j
      from seats s
      where s.section_id = ${section.id}
      order by s.row_rank, s.number)`.execute(db);
  const json = result.rows[0]?.json;
  if (!json) return ['[]'];
  const seats = json.includes(1)
    ? Buffer.from(json)
        .toString('utf8')
        .replace(FRACTION, (_, n: string) => JSON.stringify(Number(n)))
    : json;
  return options.pretty ? ['[\n      ', seats, '\n    ]'] : ['[', seats, ']'];
}

/**
 * sectionSeatsJson for a database without SQLite's JSON and format(): each seat's row, streamed
 * (a cursor on PostgreSQL: the seats never sit in memory as objects all at once), becomes the
 * same text with JSON.stringify. The pieces take the form SQLite's would — bytes, or a string
 * when a coordinate has a fraction — since `seats --json` escapes DEL, C1 and bidi controls in
 * strings only (src/cli/cmd/seats/seats.ts): the same seats give the same bytes on both databases.
 */
async function sectionSeatsJsonStreamed(db: Queryable, ...[eventId, section, now, options]: Tail<Parameters<typeof sectionSeatsJson>>): Promise<(string | Uint8Array)[]> {
  const texts: string[] = [];
  let fraction = false;
  const sqliteWritesIt = (c: number | null) => c === null || (Number.isInteger(c) && Math.abs(c) < 1e15);
  for await (const row of seatViewRows(db, eventId, section.id, now).stream(1000)) {
    const seat = toSeatView(row, section.name, options.qualify);
    if (!sqliteWritesIt(seat.x) || !sqliteWritesIt(seat.y)) fraction = true;
    texts.push(options.pretty ? JSON.stringify(seat, null, 2).replace(/\n/g, '\n      ') : JSON.stringify(seat));
  }
  if (texts.length === 0) return ['[]'];
  const joined = texts.join(options.pretty ? ',\n      ' : ',');
  const seats = fraction ? joined : Buffer.from(joined, 'utf8');
  return options.pretty ? ['[\n      ', seats, '\n    ]'] : ['[', seats, ']'];
}

/** One row of a reserved section as a seat map draws it: its seats' numbers and statuses in order. */
export interface SeatRowStrip {
  row: string;
  numbers: number[];
  statuses: SeatStatus[];
}

const STATUS_BY_LETTER: Record<string, SeatStatus> = { a: 'available', h: 'held', s: 'sold', b: 'blocked' };

/** `1,2,10` as numbers, read digit by digit, not as a string a seat (anything but digits: by Number). */
function numberList(text: string): number[] {
  const numbers: number[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      numbers.push(n);
      n = 0;
    } else if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else return text.split(',').map(Number);
  }
  numbers.push(n);
  return numbers;
}

/**
 * A reserved section's rows for drawing: a row's seats in order, each label once, in the order
 * sectionSeats lists them. One short string per row crosses from SQLite, not one object per seat.
 */
export async function sectionRowStrips(ctx: CoreContext, eventId: number, sectionId: number, now: string): Promise<SeatRowStrip[]> {
  const { db } = ctx;
  type Group = { row: string; other: string; numbers: string; statuses: string };
  const { groupConcat } = dialectOf(db);
  const letter = seatStatusSql(eventId, now, { available: 'a', held: 'h', sold: 's', blocked: 'b' });
  const from = sql`from seats s where s.section_id = ${sectionId}`;
  // By rank, the seats as the ordered subquery gives them (see sectionSeatsJson; PostgreSQL sorts
  // each group itself), checked below.
  const byNumber = { presorted: true };
  let groups = (
    await sql<Group>`
      select min(row_label) as row, max(row_label) as other, ${groupConcat(sql`number`, ',', sql`number`, byNumber)} as numbers,
        ${groupConcat(sql`letter`, '', sql`number`, byNumber)} as statuses from (
        select s.row_rank, s.row_label, s.number, ${letter} as letter ${from} order by s.row_rank, s.number) as ranked
      group by row_rank order by row_rank`.execute(db)
  ).rows;
  let parsed = groups.map((g) => ({ row: g.row, numbers: numberList(g.numbers), statuses: g.statuses }));
  // One label a rank and its seats by number (a label's numbers are unique, so strictly rising),
  // as with any map made by `seatmap generate` or an import; else group by both, sorting each
  // group's seats, the groups in the order of their first seat.
  if (groups.some((g) => g.row !== g.other) || !parsed.every((g) => g.numbers.every((n, i) => i === 0 || n > g.numbers[i - 1]))) {
    groups = (
      await sql<Group>`
        select s.row_label as row, s.row_label as other, ${groupConcat(sql`s.number`, ',', sql`s.number`)} as numbers,
          ${groupConcat(letter, '', sql`s.number`)} as statuses
        ${from} group by s.row_rank, s.row_label order by s.row_rank, min(s.number)`.execute(db)
    ).rows;
    parsed = groups.map((g) => ({ row: g.row, numbers: numberList(g.numbers), statuses: g.statuses }));
  }
  // A label under several ranks is one line of the map, as it is one row to people.
  const strips = new Map<string, SeatRowStrip>();
  for (const g of parsed) {
    const statuses = new Array<SeatStatus>(g.statuses.length);
    for (let i = 0; i < statuses.length; i++) statuses[i] = STATUS_BY_LETTER[g.statuses[i]];
    const strip = strips.get(g.row);
    if (strip) {
      strip.numbers = strip.numbers.concat(g.numbers);
      strip.statuses = strip.statuses.concat(statuses);
    } else strips.set(g.row, { row: g.row, numbers: g.numbers, statuses });
  }
  return [...strips.values()];
}
