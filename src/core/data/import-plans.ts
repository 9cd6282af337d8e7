// Staging an import: each kind compares the file's rows with what is in the database (by
// external id or natural key), names each row's problems, and returns the changes to make and
// a function that makes them inside the caller's write transaction. Leads, the kind that comes
// in the largest files, are planned a batch at a time with their writes kept in a scratch file,
// so a file of any size plans in about the same memory; the other kinds plan the whole file at
// once (their files are seat maps, price lists and venue lists, and each row may depend on any
// other).
import { lockRow, TransactionConflict, type Queryable, type Trx } from '../../db/transaction.js';
import { foldKey } from '../../db/fold.js';
import type { EventRow, Seat, Section, Venue } from '../../db/schema.js';
import { BoxofficeError } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { parseMoney, normaliseCurrency } from '../money.js';
import { normaliseEmail } from '../customers/customers.js';
import { insertLeads, updateLead, LEADS_PER_INSERT, type NewLead } from '../customers/leads.js';
import { parseLocalDateTime } from '../time.js';
import { endsAfterStart, insertEvent, updateEvent, DEFAULT_ORDER_LIMIT } from '../events/events.js';
import { assertPricesOpen, unknownZone, venueZones, writePrice } from '../events/tiers.js';
import { insertSection, insertVenue, updateVenue, venueHasTickets, writeGaSection, writeSeats, type NewSeat } from '../venues/venues.js';
import { diff, type FieldChanges } from '../changes.js';
import type { ImportChange, IssueList } from './import.js';
import type { EventImportRow, LeadRow, PriceRow, SeatmapRow, VenueRow } from './import-formats.js';
import { readSpool, type Spool, type SpoolWriter } from './import-spool.js';

/** An import's plan: what it would change, and a function that makes those changes. */
export interface Staged {
  created: number;
  updated: number;
  unchanged: number;
  /** Each row's change, in file order, when the caller asked for them (`listChanges`). */
  changes: ImportChange[];
  /** Makes the changes inside the caller's write transaction; `written` hears how many rows are done. */
  apply(trx: Trx, written?: (rows: number) => void): Promise<void>;
}

export interface Row<T> {
  line: number;
  row: T;
}

export interface PlanOptions {
  ctx: CoreContext;
  issues: IssueList;
  /** Seat maps: the venue named for the whole file. */
  venue?: string;
  /** Keep each row's change for the result; without it a plan only counts them. */
  listChanges: boolean;
  /** Where a plan may keep what it will write. */
  spool: Spool;
}

/** Plans an import from its checked rows, read in file order once. */
export type Planner<T> = (db: Queryable, rows: AsyncIterable<Row<T>>, options: PlanOptions) => Promise<Staged>;

/** A plan made from all of a file's rows at once. */
interface WholePlan {
  changes: ImportChange[];
  apply(trx: Trx): Promise<void>;
}

type WholeFilePlanner<T> = (db: Queryable, ctx: CoreContext, rows: Row<T>[], issues: IssueList, options: { venue?: string }) => Promise<WholePlan>;

function counted(changes: ImportChange[]) {
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const c of changes) {
    if (c.action === 'create') created++;
    else if (c.action === 'update') updated++;
    else unchanged++;
  }
  return { created, updated, unchanged };
}

/** A planner for kinds whose rows depend on each other across the file: it reads them all first. */
export function wholeFile<T>(plan: WholeFilePlanner<T>): Planner<T> {
  return async (db, rows, options) => {
    const all: Row<T>[] = [];
    for await (const row of rows) all.push(row);
    const staged = await plan(db, options.ctx, all, options.issues, { venue: options.venue });
    return { ...counted(staged.changes), changes: options.listChanges ? staged.changes : [], apply: (trx) => staged.apply(trx) };
  };
}

/**
 * Planning allows some changes only while nothing is sold (an event's venue and currency, a GA
 * section's capacity), but it reads without locks, and sales do not take the import's lock: on
 * PostgreSQL a first sale may commit between the plan and its writes. So `apply` first locks each
 * row whose guarded field it changes (`lockRow`, the lock that sale takes or one it conflicts
 * with: a sale under way commits first, later ones wait for the import) and asks again. Sold
 * meanwhile: the import runs again (importFile re-plans on every re-run), and planning refuses
 * that row as it would have. On SQLite lockRow returns nothing and nothing is asked again: the
 * single writer and the data version re-checked under it already keep the plan current.
 */
const soldMeanwhile = (what: string) => new TransactionConflict(new BoxofficeError('invalid_state', `${what} was sold while it was imported; nothing was imported`, 'import it again'));

/** Remembers the first line each key was seen on, so a duplicate can name it. */
class Seen {
  readonly #lines = new Map<string, number>();
  twice(key: string, line: number): number | undefined {
    const first = this.#lines.get(key);
    if (first === undefined) this.#lines.set(key, line);
    return first;
  }
}

interface Named {
  id: number;
  name: string;
  external_id: string | null;
}

/** Finds a venue or event by external id, id or unique name; a string is the reason it could not. */
function resolver<T extends Named>(rows: T[], noun: string): (ref: string) => T | string {
  const byExt = new Map<string, T>();
  const byId = new Map<number, T>();
  const byName = new Map<string, T[]>();
  for (const r of rows) {
    if (r.external_id) byExt.set(r.external_id, r);
    byId.set(r.id, r);
    const list = byName.get(foldKey(r.name)) ?? [];
    list.push(r);
    byName.set(foldKey(r.name), list);
  }
  return (ref: string) => {
    const text = ref.trim();
    const ext = byExt.get(text);
    if (ext) return ext;
    if (/^\d+$/.test(text) && byId.has(Number(text))) return byId.get(Number(text))!;
    const named = byName.get(foldKey(text)) ?? [];
    if (named.length === 1) return named[0];
    if (named.length > 1) return `${named.length} ${noun}s are called ${JSON.stringify(text)}: use the id (${named.map((n) => n.id).join(', ')}) or external id`;
    return `no ${noun} ${JSON.stringify(text)}`;
  };
}

// ---------------------------------------------------------------------------------------- venues

export const planVenues: WholeFilePlanner<VenueRow> = async (db, ctx, rows, issues) => {
  const existing = await db.selectFrom('venues').selectAll().execute();
  const byExt = new Map(existing.filter((v) => v.external_id).map((v) => [v.external_id!, v]));
  const byName = new Map(existing.map((v) => [foldKey(v.name), v]));
  const seenKey = new Seen();
  const seenName = new Seen();
  const changes: ImportChange[] = [];
  const creates: { line: number; values: Parameters<typeof insertVenue>[2] }[] = [];
  const updates: { venue: Venue; set: FieldChanges }[] = [];
  for (const { line, row } of rows) {
    const key = row.external_id ? `x:${row.external_id}` : `n:${foldKey(row.name)}`;
    const first = seenKey.twice(key, line);
    if (first !== undefined) {
      issues.at(line, row.external_id ? 'external_id' : 'name', `the same venue as line ${first}`);
      continue;
    }
    const sameName = seenName.twice(foldKey(row.name), line);
    if (sameName !== undefined) issues.at(line, 'name', `line ${sameName} has a venue of the same name; venue names are unique`);
    let venue = row.external_id ? byExt.get(row.external_id) : undefined;
    const named = byName.get(foldKey(row.name));
    if (!venue && named) {
      if (row.external_id && named.external_id && named.external_id !== row.external_id) {
        issues.at(line, 'name', `venue ${named.name} (id ${named.id}) already exists with external id ${JSON.stringify(named.external_id)}`);
        continue;
      }
      venue = named;
    }
    if (venue) {
      if (named && named.id !== venue.id) {
        issues.at(line, 'name', `another venue is already called ${named.name} (id ${named.id})`);
        continue;
      }
      const set = diff(venue, { name: row.name, city: row.city, timezone: row.timezone, external_id: row.external_id });
      const changed = Object.keys(set).length > 0;
      if (changed) updates.push({ venue, set });
      changes.push({ line, action: changed ? 'update' : 'unchanged', what: venue.name, ...(changed ? { changes: set } : {}) });
    } else {
      creates.push({ line, values: { name: row.name, city: row.city, timezone: row.timezone ?? 'UTC', external_id: row.external_id ?? null } });
      changes.push({ line, action: 'create', what: row.name });
    }
  }
  return {
    changes,
    async apply(trx) {
      for (const { values } of creates) await insertVenue(trx, ctx, values);
      for (const { venue, set } of updates) await updateVenue(trx, ctx, venue.id, set);
    },
  };
};

// --------------------------------------------------------------------------------------- seatmap

interface SectionPlan {
  venue: Venue;
  name: string;
  kind: Section['kind'];
  existing?: Section;
  line: number;
  ga?: { capacity: number; zone?: string; set: FieldChanges };
  rankOf: Map<string, number>;
  nextRank: number;
  seatsByKey: Map<string, Seat>;
  added: NewSeat[];
  updated: { seat: Seat; set: FieldChanges }[];
}

const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);

/** A seat-map row without a venue when none was named for the whole file (the fronts word the remedy: seatmap_venue_not_named). */
export const VENUE_NOT_NAMED = 'is required (or name the venue for the whole file)';

export const planSeatmap: WholeFilePlanner<SeatmapRow> = async (db, ctx, rows, issues, options) => {
  const venues = await db.selectFrom('venues').selectAll().execute();
  const findVenue = resolver(venues, 'venue');
  let fixed: Venue | undefined;
  if (options.venue !== undefined) {
    const v = findVenue(options.venue);
    if (typeof v === 'string') throw new BoxofficeError(v.startsWith('no ') ? 'not_found' : 'ambiguous_reference', v, 'list the venues').because('import_venue_unresolved', {});
    fixed = v;
  }
  const rowVenue = new Map<number, Venue>();
  for (const { line, row } of rows) {
    if (row.venue === undefined) {
      if (fixed) rowVenue.set(line, fixed);
      else {
        issues.at(line, 'venue', VENUE_NOT_NAMED);
        issues.reason = 'seatmap_venue_not_named';
      }
      continue;
    }
    const v = findVenue(row.venue);
    if (typeof v === 'string') issues.at(line, 'venue', v);
    else if (fixed && v.id !== fixed.id) issues.at(line, 'venue', `is ${v.name}, but the import is for ${fixed.name}`);
    else rowVenue.set(line, v);
  }
  const venueIds = [...new Set([...rowVenue.values()].map((v) => v.id))];
  const sections = venueIds.length ? await db.selectFrom('sections').selectAll().where('venue_id', 'in', venueIds).execute() : [];
  const sectionIds = sections.map((s) => s.id);
  const seats: Seat[] = [];
  for (let i = 0; i < sectionIds.length; i += 500) {
    seats.push(
      ...(await db
        .selectFrom('seats')
        .selectAll()
        .where('section_id', 'in', sectionIds.slice(i, i + 500))
        .execute()),
    );
  }
  const ticketed = new Set<number>();
  for (const id of venueIds) if (await venueHasTickets(db, id)) ticketed.add(id);

  const plans = new Map<string, SectionPlan>();
  const sectionPlan = (venue: Venue, name: string, kind: Section['kind'], line: number): SectionPlan | string => {
    const key = `${venue.id}:${foldKey(name)}`;
    let p = plans.get(key);
    if (!p) {
      const existing = sections.find((s) => s.venue_id === venue.id && foldKey(s.name) === foldKey(name));
      if (existing && existing.kind !== kind) {
        return `section ${existing.name} of ${venue.name} is ${existing.kind === 'ga' ? 'general admission' : 'reserved'}; this row would make it ${kind === 'ga' ? 'general admission' : 'reserved'}`;
      }
      const own = existing ? seats.filter((s) => s.section_id === existing.id) : [];
      const rankOf = new Map<string, number>();
      for (const s of own) rankOf.set(foldKey(s.row_label), s.row_rank);
      p = {
        venue,
        name: existing?.name ?? name,
        kind,
        existing,
        line,
        rankOf,
        nextRank: own.reduce((m, s) => Math.max(m, s.row_rank + 1), 0),
        seatsByKey: new Map(own.map((s) => [`${foldKey(s.row_label)}-${s.number}`, s])),
        added: [],
        updated: [],
      };
      plans.set(key, p);
    } else if (p.kind !== kind) {
      return `line ${p.line} makes section ${p.name} ${p.kind === 'ga' ? 'general admission' : 'reserved'}; a section is one or the other`;
    }
    return p;
  };

  const changes: ImportChange[] = [];
  const seen = new Seen();
  for (const { line, row } of rows) {
    const venue = rowVenue.get(line);
    if (!venue) continue;
    const kind = row.capacity !== undefined ? 'ga' : 'reserved';
    const p = sectionPlan(venue, row.section, kind, line);
    if (typeof p === 'string') {
      issues.at(line, kind === 'ga' ? 'capacity' : 'section', p);
      continue;
    }
    if (kind === 'ga') {
      const first = seen.twice(`${venue.id}:${foldKey(row.section)}`, line);
      if (first !== undefined) {
        issues.at(line, 'section', `line ${first} already gives ${p.name} its capacity`);
        continue;
      }
      const set = p.existing ? diff(p.existing, { capacity: row.capacity, zone: row.zone }) : {};
      if (p.existing && set.capacity && ticketed.has(venue.id)) {
        issues.at(line, 'capacity', `${venue.name} already has tickets sold or held; the capacity of ${p.name} cannot change`);
        continue;
      }
      p.ga = { capacity: row.capacity!, zone: row.zone, set };
      const what = `${venue.name}: ${p.name} (general admission)`;
      if (!p.existing) changes.push({ line, action: 'create', what });
      else changes.push({ line, action: Object.keys(set).length ? 'update' : 'unchanged', what, ...(Object.keys(set).length ? { changes: set } : {}) });
      continue;
    }
    const label = row.row!;
    const seatKey = `${foldKey(label)}-${row.seat}`;
    const first = seen.twice(`${venue.id}:${foldKey(row.section)}:${seatKey}`, line);
    if (first !== undefined) {
      issues.at(line, 'seat', `seat ${p.name}:${label}-${row.seat} is also on line ${first}`);
      continue;
    }
    const what = `${venue.name}: ${p.name}:${label}-${row.seat}`;
    const fields = { x: row.x, y: row.y, zone: row.zone, accessible: flag(row.accessible), obstructed: flag(row.obstructed) };
    const current = p.seatsByKey.get(seatKey);
    if (current) {
      const set = diff(current, fields);
      const changed = Object.keys(set).length > 0;
      if (changed) p.updated.push({ seat: current, set });
      changes.push({ line, action: changed ? 'update' : 'unchanged', what, ...(changed ? { changes: set } : {}) });
      continue;
    }
    let rank = p.rankOf.get(foldKey(label));
    if (rank === undefined) {
      rank = p.nextRank++;
      p.rankOf.set(foldKey(label), rank);
    }
    p.added.push({
      row_label: label,
      row_label_key: foldKey(label),
      row_rank: rank,
      number: row.seat!,
      x: fields.x ?? null,
      y: fields.y ?? null,
      zone: fields.zone ?? null,
      accessible: fields.accessible ?? 0,
      obstructed: fields.obstructed ?? 0,
    });
    changes.push({ line, action: 'create', what });
  }

  return {
    changes,
    async apply(trx) {
      // A capacity is never set below what a first sale under way sells: a GA sale holds its
      // section's row (FOR NO KEY UPDATE, selection.ts choosePlaces) until it commits, as
      // venues.ts generateGaSection relies on (soldMeanwhile above).
      const resized = [...plans.values()].filter((p) => p.existing && p.ga?.set.capacity).sort((a, b) => a.existing!.id - b.existing!.id);
      for (const p of resized) {
        const locked = await lockRow(trx, 'sections', p.existing!.id, 'no key update');
        if (locked && (await venueHasTickets(trx, p.venue.id))) throw soldMeanwhile(`${p.venue.name} (section ${p.name})`);
      }
      for (const p of plans.values()) {
        if (p.kind === 'ga') {
          if (!p.existing || Object.keys(p.ga!.set).length) await writeGaSection(trx, ctx, p.venue.id, p.existing ?? p.name, { capacity: p.ga!.capacity, zone: p.ga!.zone });
          continue;
        }
        if (!p.added.length && !p.updated.length) continue;
        const section = p.existing ?? (await insertSection(trx, p.venue.id, p.name, 'reserved', {}));
        await writeSeats(trx, ctx, p.venue.id, section, { added: p.added, updated: p.updated.map(({ seat, set }) => ({ id: seat.id, set })) });
      }
    },
  };
};

// ---------------------------------------------------------------------------------------- events

const eventHasOrders = async (db: Queryable, eventId: number) => (await db.selectFrom('orders').select('id').where('event_id', '=', eventId).limit(1).executeTakeFirst()) !== undefined;

export const planEvents: WholeFilePlanner<EventImportRow> = async (db, ctx, rows, issues) => {
  const venues = await db.selectFrom('venues').selectAll().execute();
  const findVenue = resolver(venues, 'venue');
  const existing = await db.selectFrom('events').selectAll().execute();
  const byExt = new Map(existing.filter((e) => e.external_id).map((e) => [e.external_id!, e]));
  const natural = (venueId: number, name: string, starts: string) => `${venueId}|${foldKey(name)}|${starts}`;
  const byNatural = new Map(existing.map((e) => [natural(e.venue_id, e.name, e.starts_at), e]));
  const withOrders = new Set((await db.selectFrom('orders').select('event_id').distinct().execute()).map((o) => o.event_id));
  const seen = new Seen();
  const changes: ImportChange[] = [];
  const creates: { venue: Venue; values: Parameters<typeof insertEvent>[3] }[] = [];
  const updates: { event: EventRow; set: FieldChanges }[] = [];

  for (const { line, row } of rows) {
    const venue = findVenue(row.venue);
    if (typeof venue === 'string') {
      issues.at(line, 'venue', venue);
      continue;
    }
    let starts: string;
    let ends: string | undefined;
    try {
      starts = parseLocalDateTime(row.starts, venue.timezone, 'starts');
    } catch (err) {
      issues.at(line, 'starts', (err as Error).message.replace(/^starts /, ''));
      continue;
    }
    try {
      ends = row.ends !== undefined ? parseLocalDateTime(row.ends, venue.timezone, 'ends') : undefined;
    } catch (err) {
      issues.at(line, 'ends', (err as Error).message.replace(/^ends /, ''));
      continue;
    }
    if (!endsAfterStart(starts, ends)) {
      issues.at(line, 'ends', 'must be after the start');
      continue;
    }
    const key = row.external_id ? `x:${row.external_id}` : `n:${natural(venue.id, row.name, starts)}`;
    const first = seen.twice(key, line);
    if (first !== undefined) {
      issues.at(line, row.external_id ? 'external_id' : 'name', `the same event as line ${first}`);
      continue;
    }
    const currency = row.currency !== undefined ? normaliseCurrency(row.currency) : undefined;
    let event = row.external_id ? byExt.get(row.external_id) : undefined;
    if (!event) {
      const same = byNatural.get(natural(venue.id, row.name, starts));
      if (same && !(row.external_id && same.external_id && same.external_id !== row.external_id)) event = same;
    }
    const what = `${row.name} · ${venue.name} · ${row.starts}`;
    if (!event) {
      creates.push({
        venue,
        values: {
          name: row.name,
          type: row.type ?? null,
          starts_at: starts,
          ends_at: ends ?? null,
          currency: currency ?? 'EUR',
          order_limit: row.order_limit ?? ctx.defaultOrderLimit ?? DEFAULT_ORDER_LIMIT,
          external_id: row.external_id ?? null,
        },
      });
      changes.push({ line, action: 'create', what });
      continue;
    }
    if (ends === undefined && !endsAfterStart(starts, event.ends_at)) {
      issues.at(line, 'starts', `would be after the event's current end (${event.ends_at}): give a new end too`);
      continue;
    }
    const set = diff(event, {
      name: row.name,
      venue_id: venue.id,
      starts_at: starts,
      ends_at: ends,
      type: row.type,
      currency,
      order_limit: row.order_limit,
      external_id: row.external_id,
    });
    if ((set.venue_id || set.currency) && withOrders.has(event.id)) {
      issues.at(line, set.venue_id ? 'venue' : 'currency', `event ${event.name} (id ${event.id}) already has orders; its ${set.venue_id ? 'venue' : 'currency'} cannot change`);
      continue;
    }
    const changed = Object.keys(set).length > 0;
    if (changed) updates.push({ event, set });
    changes.push({ line, action: changed ? 'update' : 'unchanged', what, ...(changed ? { changes: set } : {}) });
  }
  return {
    changes,
    async apply(trx) {
      // Sales and holds hold their event's row FOR KEY SHARE until they commit (sale.ts
      // claimablePlaces); FOR UPDATE waits for them, and holds off new ones until this commits, so
      // an event never moves venue or currency under an order (soldMeanwhile above).
      const guarded = updates.filter(({ set }) => set.venue_id || set.currency).sort((a, b) => a.event.id - b.event.id);
      for (const { event } of guarded) {
        const locked = await lockRow(trx, 'events', event.id, 'update');
        if (locked && (await eventHasOrders(trx, event.id))) throw soldMeanwhile(`event ${event.name} (id ${event.id})`);
      }
      for (const { venue, values } of creates) await insertEvent(trx, ctx, venue, values);
      for (const { event, set } of updates) await updateEvent(trx, ctx, event.id, set);
    },
  };
};

// ---------------------------------------------------------------------------------------- prices

export const planPrices: WholeFilePlanner<PriceRow> = async (db, ctx, rows, issues) => {
  const events = await db.selectFrom('events').selectAll().execute();
  const findEvent = resolver(events, 'event');
  const tiers = await db.selectFrom('tiers').selectAll().execute();
  const prices = await db.selectFrom('tier_prices').selectAll().execute();
  const seen = new Seen();
  const changes: ImportChange[] = [];
  const zonesByVenue = new Map<number, Map<string, string> | undefined>();
  // Per event, per tier (lower-case name): the tier if it exists, and the prices to set.
  const work = new Map<number, Map<string, { name: string; tierId?: number; set: { zone: string; price: number; priceId?: number }[] }>>();
  for (const { line, row } of rows) {
    const event = findEvent(row.event);
    if (typeof event === 'string') {
      issues.at(line, 'event', event);
      continue;
    }
    try {
      assertPricesOpen(event);
    } catch (err) {
      issues.at(line, 'event', (err as Error).message);
      continue;
    }
    let price: number;
    try {
      price = parseMoney(row.price, event.currency, 'price');
    } catch (err) {
      issues.at(line, 'price', `${(err as Error).message.replace(/^price /, '')}`);
      continue;
    }
    const zone = row.zone ?? '';
    if (zone) {
      // As `event price` does: a price for a zone no seat is in would never apply (a typo).
      if (!zonesByVenue.has(event.venue_id)) zonesByVenue.set(event.venue_id, await venueZones(db, event.venue_id));
      const names = unknownZone(zonesByVenue.get(event.venue_id), zone);
      if (names !== undefined) {
        issues.at(line, 'zone', `no seats at ${event.name}'s venue are in zone ${JSON.stringify(zone)}; ${names.length ? `its zones: ${names.join(', ')}` : 'its seats have no zones'}`);
        continue;
      }
    }
    const first = seen.twice(`${event.id}|${foldKey(row.tier)}|${foldKey(zone)}`, line);
    if (first !== undefined) {
      issues.at(line, 'tier', `line ${first} already prices ${row.tier}${zone ? ` in zone ${zone}` : ''} for ${event.name}`);
      continue;
    }
    const tier = tiers.find((t) => t.event_id === event.id && foldKey(t.name) === foldKey(row.tier));
    const current = tier ? prices.find((p) => p.tier_id === tier.id && foldKey(p.zone) === foldKey(zone)) : undefined;
    const what = `${event.name} / ${tier?.name ?? row.tier}${zone ? ` / ${zone}` : ''}`;
    const byTier = work.get(event.id) ?? new Map();
    work.set(event.id, byTier);
    const entry = byTier.get(foldKey(row.tier)) ?? { name: tier?.name ?? row.tier, tierId: tier?.id, set: [] };
    byTier.set(foldKey(row.tier), entry);
    if (current && current.price === price) {
      changes.push({ line, action: 'unchanged', what });
      continue;
    }
    entry.set.push({ zone: current?.zone ?? zone, price, priceId: current?.id });
    changes.push(current ? { line, action: 'update', what, changes: { price: { from: current.price, to: price } } } : { line, action: 'create', what });
  }
  return {
    changes,
    async apply(trx) {
      for (const [eventId, byTier] of work) {
        const event = events.find((e) => e.id === eventId)!;
        for (const entry of byTier.values()) {
          for (const p of entry.set) await writePrice(trx, ctx, event, entry.name, p.zone, p.price);
        }
      }
    },
  };
};

// ----------------------------------------------------------------------------------------- leads

interface ExistingLead {
  id: number;
  email: string;
  name: string | null;
  source: string | null;
  event_id: number | null;
  consent: number;
  external_id: string | null;
}

/** One write of a leads import, as kept in the scratch file between planning and writing. */
type LeadWrite = { create: NewLead } | { update: number; set: FieldChanges };

/** Rows planned together: one lookup of the leads they may match. */
const LEAD_BATCH = 1000;
/** Leads written between two reports of progress. */
const PROGRESS_EVERY = 1000;

/** Values bound in one `in (…)` list. */
const IN_LIST = 500;

const leadColumns = ['id', 'email', 'name', 'source', 'event_id', 'consent', 'external_id'] as const;

async function leadsWhere(db: Queryable, column: 'id' | 'external_id', values: (string | number)[]): Promise<ExistingLead[]> {
  const found: ExistingLead[] = [];
  for (let i = 0; i < values.length; i += IN_LIST) {
    found.push(
      ...(await db
        .selectFrom('leads')
        .select(leadColumns)
        .where(column, 'in', values.slice(i, i + IN_LIST))
        .execute()),
    );
  }
  return found;
}

/**
 * Leads are planned a batch of rows at a time: the rows' external ids are looked up in the
 * database per batch, their natural keys in a map of the existing leads' keys (an email matches
 * whatever its case, which SQLite's own case folding would only do for ASCII), and what the file
 * would write goes to a scratch file that `apply` reads back. Only the keys the file has used
 * stay in memory, to name a row that repeats an earlier one.
 */
export const planLeads: Planner<LeadRow> = async (db, rows, options) => {
  const writes = options.spool.writer<LeadWrite>('lead-writes');
  let planned: Omit<Staged, 'apply'>;
  try {
    planned = await planLeadWrites(db, rows, options, writes);
  } finally {
    writes.close();
  }
  return { ...planned, apply: (trx, written) => writeLeads(trx, options.ctx, writes.file, written) };
};

/** Decides each row's write, into `writes`; what it needed to decide is let go when it returns. */
async function planLeadWrites(db: Queryable, rows: AsyncIterable<Row<LeadRow>>, { issues, listChanges }: PlanOptions, writes: SpoolWriter<LeadWrite>): Promise<Omit<Staged, 'apply'>> {
  const events = await db.selectFrom('events').selectAll().execute();
  const findEvent = resolver(events, 'event');
  const natural = (email: string, eventId: number | null) => `${foldKey(email)}|${eventId ?? ''}`;
  // The oldest lead of an email and event is the one a row without an external id updates.
  const byNatural = new Map<string, number>();
  for (let after = 0; ; ) {
    const page = await db.selectFrom('leads').select(['id', 'email', 'event_id']).where('id', '>', after).orderBy('id').limit(10_000).execute();
    if (page.length === 0) break;
    for (const l of page) {
      const k = natural(l.email, l.event_id);
      if (!byNatural.has(k)) byNatural.set(k, l.id);
    }
    after = page[page.length - 1].id;
  }
  const anyLeads = byNatural.size > 0;

  const seen = new Seen();
  const changes: ImportChange[] = [];
  const counts = { created: 0, updated: 0, unchanged: 0 };

  const planBatch = async (batch: Row<LeadRow>[]) => {
    const keyed: { line: number; row: LeadRow; email: string; eventId: number | null }[] = [];
    for (const { line, row } of batch) {
      let eventId: number | null = null;
      if (row.event !== undefined) {
        const event = findEvent(row.event);
        if (typeof event === 'string') {
          issues.at(line, 'event', event);
          continue;
        }
        eventId = event.id;
      }
      const email = normaliseEmail(row.email);
      const key = row.external_id ? `x:${row.external_id}` : `n:${natural(email, eventId)}`;
      const first = seen.twice(key, line);
      if (first !== undefined) {
        issues.at(line, row.external_id ? 'external_id' : 'email', `the same lead as line ${first}${row.external_id ? '' : ' (same email and event)'}`);
        continue;
      }
      keyed.push({ line, row, email, eventId });
    }
    // The leads these rows may update: by external id, else by email and event.
    const byExt = new Map<string, ExistingLead>();
    const byId = new Map<number, ExistingLead>();
    if (anyLeads) {
      const ext = keyed.flatMap((k) => (k.row.external_id ? [k.row.external_id] : []));
      for (const l of await leadsWhere(db, 'external_id', ext)) byExt.set(l.external_id!, l);
      const ids = keyed.flatMap((k) => (k.row.external_id && byExt.has(k.row.external_id) ? [] : (byNatural.get(natural(k.email, k.eventId)) ?? [])));
      for (const l of await leadsWhere(db, 'id', [...new Set(ids)])) byId.set(l.id, l);
    }
    for (const { line, row, email, eventId } of keyed) {
      let lead = row.external_id ? byExt.get(row.external_id) : undefined;
      if (!lead) {
        const sameId = byNatural.get(natural(email, eventId));
        const same = sameId === undefined ? undefined : byId.get(sameId);
        if (same && !(row.external_id && same.external_id && same.external_id !== row.external_id)) lead = same;
      }
      if (!lead) {
        writes.write({ create: { email, name: row.name ?? null, source: row.source ?? null, event_id: eventId, consent: row.consent ? 1 : 0, external_id: row.external_id ?? null } });
        counts.created++;
        if (listChanges) changes.push({ line, action: 'create', what: email });
        continue;
      }
      const set = diff(lead, {
        email,
        name: row.name,
        source: row.source,
        event_id: row.event !== undefined ? eventId : undefined,
        consent: flag(row.consent),
        external_id: row.external_id,
      });
      const changed = Object.keys(set).length > 0;
      if (changed) {
        writes.write({ update: lead.id, set });
        counts.updated++;
      } else counts.unchanged++;
      if (listChanges) changes.push({ line, action: changed ? 'update' : 'unchanged', what: email, ...(changed ? { changes: set } : {}) });
    }
  };

  let batch: Row<LeadRow>[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === LEAD_BATCH) {
      await planBatch(batch);
      batch = [];
    }
  }
  await planBatch(batch);
  return { ...counts, changes };
}

/** Makes a leads import's planned writes, reading them back from the scratch file. */
async function writeLeads(trx: Trx, ctx: CoreContext, file: string, written?: (rows: number) => void): Promise<void> {
  const now = nowIso(ctx);
  let applied = 0;
  const progress = (n: number) => {
    const before = applied;
    applied += n;
    if (Math.floor(applied / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) written?.(applied);
  };
  // New leads wait here for a full multi-row insert (insertLeads); nothing of a written lead is kept.
  let pending: NewLead[] = [];
  const insertPending = async () => {
    await insertLeads(trx, ctx, pending, now);
    progress(pending.length);
    pending = [];
  };
  for await (const w of readSpool<LeadWrite>(file)) {
    if ('create' in w) {
      pending.push(w.create);
      if (pending.length === LEADS_PER_INSERT) await insertPending();
      continue;
    }
    await insertPending();
    await updateLead(trx, ctx, w.update, w.set);
    progress(1);
  }
  await insertPending();
  written?.(applied);
}
