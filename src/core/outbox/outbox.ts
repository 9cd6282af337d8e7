// The domain-event outbox: appended in the same transaction as the change it describes, so
// nothing is published that did not commit and nothing commits without its event.
import type { DB } from '../../db/connection.js';
import { dialectOf } from '../../db/dialect.js';
import type { Queryable, Trx } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { OutboxRow } from '../../db/schema.js';
import { newId } from '../codes.js';
import type { CoreContext } from '../context.js';
import { refuseBackdating } from './backdating.js';
import { requireRole } from '../staff/permissions.js';

export type DomainEventType =
  | 'venue.created'
  | 'seatmap.changed'
  | 'event.created'
  | 'event.published'
  | 'event.cancelled'
  | 'event.price_set'
  | 'seats.blocked'
  | 'seats.released'
  | 'order.created'
  | 'order.paid'
  | 'order.cancelled'
  | 'order.expired'
  | 'order.refunded'
  | 'order.tiers_changed'
  | 'payment.created'
  | 'refund.created'
  | 'ticket.issued'
  | 'ticket.voided'
  | 'ticket.checked_in'
  | 'tickets.rendered'
  | 'mail.queued'
  | 'mail.sent'
  | 'mail.failed'
  | 'customer.created'
  | 'lead.created'
  | 'lead.converted'
  | 'lead.updated'
  | 'venue.updated'
  | 'event.updated'
  | 'cashup.float_set'
  | 'cashup.counted'
  | 'cashup.closed'
  | 'staff.created'
  | 'staff.disabled'
  | 'staff.pin_reset'
  | 'database.marked_rehearsal'
  | 'staff.login_failed'
  | 'staff.unlocked';

export interface DomainEvent {
  type: DomainEventType;
  /** What the event is about, e.g. `order/K7P3QX`, `ticket/…`, `event/3`. */
  subject: string;
  data: Record<string, unknown>;
}

const appendEvent = prepared((db, p: { id: string; type: string; subject: string; time: string; operator: string; data: string }) =>
  db.insertInto('outbox').values({ id: p.id, type: p.type, subject: p.subject, time: p.time, operator: p.operator, data: p.data }),
);

/**
 * Appends events inside the caller's transaction. Every change records events, so this is where
 * a moved clock is kept from dating a change before what is already recorded.
 */
export async function recordEvents(trx: Trx, ctx: CoreContext, events: DomainEvent[]): Promise<void> {
  const time = ctx.clock.now().toISOString();
  // A Z report's own closing is dated at its period's end by definition, not after it.
  if (events.length && !events.some((e) => e.type === 'cashup.closed')) {
    const paymentIds = events.filter((e) => e.type === 'payment.created' || e.type === 'refund.created').map((e) => Number(e.data.id));
    await refuseBackdating(trx, ctx.clock, { time, operator: ctx.actor.name, paymentIds });
  }
  for (const e of events) {
    await appendEvent.run(trx, { id: newId(), type: e.type, subject: e.subject, time, operator: ctx.actor.name, data: JSON.stringify(e.data) });
  }
}

/**
 * Numbers the events that committed since the last reader did. Every reader of the outbox by
 * `seq` (the feed, the log, the status) calls this first and then reads only numbered rows
 * (`seq > n` leaves the others out). On SQLite a row is numbered when written, and this is free;
 * on PostgreSQL rows are numbered after they commit (docs/postgres.md, "The feed").
 */
export function numberFeed(db: DB): Promise<void> {
  return dialectOf(db).numberFeed(db);
}

/** The outbox's columns, without those only one database has (PostgreSQL's pos and xid). */
export const OUTBOX_COLUMNS = ['seq', 'id', 'type', 'subject', 'time', 'operator', 'data'] as const;

/**
 * A token that changes whenever an event commits: the number of committed events (the outbox is
 * append-only). On SQLite that is the last `seq`; on PostgreSQL the last `seq` plus the events
 * not numbered yet (a partial index counts those), read in one statement, so it moves at the
 * commit and not at the numbering.
 */
export async function outboxVersion(db: Queryable): Promise<number> {
  if (dialectOf(db).name === 'sqlite') {
    const row = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('outbox')
        .select((e) => e.fn.coalesce(e.fn.max('seq'), e.lit(0)).as('m'))
        .as('numbered'),
      eb
        .selectFrom('outbox')
        .select((e) => e.fn.countAll().as('n'))
        .where('seq', 'is', null)
        .as('pending'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.numbered ?? 0) + Number(row.pending ?? 0);
}

export interface OutboxEntry {
  seq: number;
  id: string;
  type: string;
  subject: string;
  time: string;
  operator: string;
  data: Record<string, unknown>;
}

export function toEntry(row: OutboxRow): OutboxEntry {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

/** Reads the outbox in order, optionally after a sequence number or for one subject (managers: it holds personal data). */
export async function readOutbox(ctx: CoreContext, filter: { after?: number; subject?: string; type?: string; limit?: number } = {}): Promise<OutboxEntry[]> {
  requireRole(ctx.actor, 'read_personal_data', { what: 'read the audit log' });
  await numberFeed(ctx.db);
  let q = ctx.db.selectFrom('outbox').select(OUTBOX_COLUMNS).where('seq', 'is not', null).orderBy('seq');
  if (filter.after !== undefined) q = q.where('seq', '>', filter.after);
  if (filter.subject) q = q.where('subject', '=', filter.subject);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.limit) q = q.limit(filter.limit);
  return (await q.execute()).map(toEntry);
}
