// Cheap questions about an event's inventory, for screens that ask them every second: how many
// places are sold, held and free (without loading every seat), and whether anything changed.
import { sql } from '../../db/kysely.js';
import type { Queryable } from '../../db/transaction.js';
import type { EventRow } from '../../db/schema.js';
import { gaUsage } from './availability.js';
import { outboxVersion } from '../outbox/outbox.js';

export interface AvailabilityCounts {
  capacity: number;
  available: number;
  held: number;
  sold: number;
  blocked: number;
}

/** Totals over all the event's sections at `now`; a lapsed hold counts as available, as everywhere. */
export async function availabilityCounts(db: Queryable, event: Pick<EventRow, 'id' | 'venue_id'>, now: string): Promise<AvailabilityCounts> {
  const sections = await db.selectFrom('sections').select(['id', 'kind', 'capacity']).where('venue_id', '=', event.venue_id).execute();
  const seats = await db
    .selectFrom('seats')
    .innerJoin('sections', 'sections.id', 'seats.section_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sections.venue_id', '=', event.venue_id)
    .where('sections.kind', '=', 'reserved')
    .executeTakeFirstOrThrow();
  const claims = await db
    .selectFrom('seat_claims')
    .select(['status', sql<number>`sum(case when status = 'held' and expires_at is not null and expires_at <= ${now} then 1 else 0 end)`.as('lapsed')])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', event.id)
    .groupBy('status')
    .execute();
  const counts: AvailabilityCounts = { capacity: Number(seats.n), available: 0, held: 0, sold: 0, blocked: 0 };
  for (const c of claims) counts[c.status] += Number(c.n) - Number(c.lapsed ?? 0);
  const usage = await gaUsage(db, event.id, now);
  for (const s of sections) {
    if (s.kind !== 'ga') continue;
    const u = usage.get(s.id) ?? { held: 0, sold: 0 };
    counts.capacity += s.capacity ?? 0;
    counts.held += u.held;
    counts.sold += u.sold;
  }
  counts.available = Math.max(0, counts.capacity - counts.held - counts.sold - counts.blocked);
  return counts;
}

/**
 * A token that changes whenever the event's availability may have: any recorded change (every
 * state change appends to the outbox) or a hold running out (which writes nothing until swept).
 */
export async function inventoryVersion(db: Queryable, eventId: number, now: string): Promise<string> {
  const last = await outboxVersion(db);
  const lapsed = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .executeTakeFirstOrThrow();
  return `${last}:${lapsed.n}`;
}
