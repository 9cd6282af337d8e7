// The audit trail: the outbox read back for people, filtered by order, event, operator and time.
import { sql } from '../../db/kysely.js';
import { foldKey } from '../../db/fold.js';
import { dialectOf } from '../../db/dialect.js';
import type { CoreContext } from '../context.js';
import { requireRole } from '../staff/permissions.js';
import { normaliseOrderCode } from '../codes.js';
import { findEvent } from '../events/events.js';
import { findOrderRow } from '../orders/view.js';
import { numberFeed, OUTBOX_COLUMNS, toEntry, type OutboxEntry } from './outbox.js';

export interface AuditFilter {
  order?: string;
  event?: string;
  operator?: string;
  /** ISO instants. */
  since?: string;
  until?: string;
  type?: string;
  limit?: number;
}

/**
 * Outbox entries, oldest first; an event's trail includes its orders' and tickets' entries.
 * Entries carry customers' emails and names, so the log is for managers and admins.
 */
export async function auditLog(ctx: CoreContext, filter: AuditFilter = {}): Promise<OutboxEntry[]> {
  requireRole(ctx.actor, 'read_personal_data', { what: 'read the audit log' });
  const db = ctx.db;
  // Numbered entries only, so the log shows what the feed shows, in its order.
  await numberFeed(db);
  let q = db.selectFrom('outbox').select(OUTBOX_COLUMNS).where('seq', 'is not', null);
  if (filter.order) {
    const order = await findOrderRow(db, filter.order);
    const code = normaliseOrderCode(order.code);
    q = q.where((eb) => eb.or([eb('subject', '=', `order/${code}`), eb('subject', 'in', eb.selectFrom('tickets').select(sql<string>`'ticket/' || id`.as('s')).where('order_id', '=', order.id))]));
  }
  if (filter.event) {
    const { event } = await findEvent(db, filter.event);
    q = q.where((eb) =>
      eb.or([
        eb('subject', '=', `event/${event.id}`),
        eb('subject', 'in', eb.selectFrom('orders').select(sql<string>`'order/' || code`.as('s')).where('event_id', '=', event.id)),
        eb('subject', 'in', eb.selectFrom('tickets').select(sql<string>`'ticket/' || id`.as('s')).where('event_id', '=', event.id)),
      ]),
    );
  }
  // The outbox's operator has no key column: folded in SQL by the one rule (SqlDialect.fold).
  if (filter.operator) q = q.where(dialectOf(db).fold(sql.ref('operator')), '=', foldKey(filter.operator.trim()));
  if (filter.since) q = q.where('time', '>=', filter.since);
  if (filter.until) q = q.where('time', '<', filter.until);
  // A type and its subtypes (order → order.paid). Types are lower case on both databases, so
  // LIKE's case rules do not matter; the given type's own % _ and \ match themselves.
  if (filter.type) {
    const prefix = `${filter.type.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
    q = q.where((eb) => eb.or([eb('type', '=', filter.type!), sql<boolean>`type like ${prefix} escape '\\'`]));
  }
  // The newest `limit` entries, shown oldest first.
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? 1000)
    .execute();
  return rows.reverse().map(toEntry);
}
