// Pending orders end by payment, by cancellation, or by their hold running out.
import type { Trx } from '../../db/transaction.js';
import { lockRow, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { Order } from '../../db/schema.js';
import { BoxofficeError } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { can, requireRole } from '../staff/permissions.js';
import { findOrderRow, loadOrderView, type OrderView } from './view.js';

/**
 * Voids an unpaid order's held tickets and frees their seats; false (and nothing done) when the
 * order is no longer pending. The status change comes first and is conditional (`where status =
 * 'pending'`, row count checked): on PostgreSQL it takes the order row's lock, so a payment of
 * the same order (which locks the row FOR UPDATE) either committed first, and this finds it paid
 * and leaves its seats alone, or waits until this has committed and then finds it expired.
 */
async function releaseOrder(trx: Trx, order: Pick<Order, 'id'>, status: 'cancelled' | 'expired', at: string): Promise<boolean> {
  const changed = await trx.updateTable('orders').set({ status, closed_at: at }).where('id', '=', order.id).where('status', '=', 'pending').executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return false;
  const tickets = await trx.selectFrom('tickets').select('id').where('order_id', '=', order.id).execute();
  const ids = tickets.map((t) => t.id);
  if (ids.length) {
    await trx.deleteFrom('seat_claims').where('ticket_id', 'in', ids).execute();
    await trx.updateTable('tickets').set({ status: 'void', voided_at: at }).where('id', 'in', ids).execute();
  }
  return true;
}

const dueHolds = prepared((db, p: { now: string }) => db.selectFrom('orders').select(['id', 'code', 'event_id', 'expires_at']).where('status', '=', 'pending').where('expires_at', '<=', p.now));
// Every hold and sale sweeps its own event first.
const dueHoldsOfEvent = prepared((db, p: { now: string; eventId: number }) =>
  db.selectFrom('orders').select(['id', 'code', 'event_id', 'expires_at']).where('status', '=', 'pending').where('expires_at', '<=', p.now).where('event_id', '=', p.eventId),
);

/**
 * Marks pending orders whose hold has run out as expired (for one event, or all), freeing their
 * seats and recording `order.expired`. Runs inside the caller's transaction.
 */
export async function expireDueHolds(trx: Trx, ctx: CoreContext, eventId: number | undefined, events: DomainEvent[], now = nowIso(ctx)): Promise<string[]> {
  const due = eventId === undefined ? await dueHolds.all(trx, { now }) : await dueHoldsOfEvent.all(trx, { now, eventId });
  const expired: string[] = [];
  for (const order of due) {
    // Paid (or expired by another terminal) since it was read: not ours to expire.
    if (!(await releaseOrder(trx, order, 'expired', now))) continue;
    events.push({ type: 'order.expired', subject: `order/${order.code}`, data: { code: order.code, eventId: order.event_id, expiredAt: order.expires_at } });
    expired.push(order.code);
  }
  return expired;
}

/** Cancels an unpaid order inside the caller's transaction. */
export async function cancelPendingWithin(trx: Trx, order: Order, reason: string | undefined, at: string, events: DomainEvent[]): Promise<void> {
  // Paid or expired meanwhile (PostgreSQL): run again, and answer from what the order is now.
  if (!(await releaseOrder(trx, order, 'cancelled', at))) throw new TransactionConflict(new BoxofficeError('invalid_state', `order ${order.code} changed while being cancelled`));
  events.push({ type: 'order.cancelled', subject: `order/${order.code}`, data: { code: order.code, eventId: order.event_id, reason: reason ?? null } });
}

/** `boxoffice expire`: sweeps every event's expired holds now. */
export async function expireHolds(ctx: CoreContext): Promise<{ expired: string[] }> {
  requireRole(ctx.actor, 'view');
  return writeTransaction(ctx.db, async (trx) => {
    const events: DomainEvent[] = [];
    const expired = await expireDueHolds(trx, ctx, undefined, events);
    await recordEvents(trx, ctx, events);
    return { expired };
  });
}

/** Cancels an unpaid order (a clerk its own holds, a manager any); a paid order is refunded instead. */
export async function cancelOrder(ctx: CoreContext, code: string, reason?: string): Promise<OrderView> {
  plainText(reason, 'reason');
  return writeTransaction(ctx.db, async (trx) => {
    const found = await findOrderRow(trx, code);
    // PostgreSQL: the order row FOR UPDATE, as paying and refunding it take it; its status now.
    const order = (await lockRow(trx, 'orders', found.id)) ?? found;
    if (order.status === 'paid' || order.status === 'partially_refunded') {
      // Whose hold it was no longer matters: undoing a paid order is a refund, and that is the
      // refusal to give a clerk (not "another operator's hold").
      if (!can(ctx.actor, 'refund')) {
        throw new BoxofficeError('forbidden', `order ${order.code} is paid: cancelling it is a refund, which needs a manager`, 'ask a manager to refund it', {
          needs: ['admin', 'manager'],
          role: ctx.actor.role,
        }).because('paid_order_is_refunded', { order: order.code, manager: false });
      }
      throw new BoxofficeError('invalid_state', `order ${order.code} is paid: refund it instead`, 'refund it').because('paid_order_is_refunded', { order: order.code, manager: true });
    }
    const own = order.operator_id === ctx.actor.staffId;
    requireRole(ctx.actor, own ? 'release_own_hold' : 'release_any_hold');
    if (order.status !== 'pending') throw new BoxofficeError('invalid_state', `order ${order.code} is already ${order.status}`);
    const now = nowIso(ctx);
    const events: DomainEvent[] = [];
    if (order.expires_at !== null && order.expires_at <= now) {
      // Already lapsed: record it as the expiry it is, so the feed tells the truth.
      await expireDueHolds(trx, ctx, order.event_id, events);
    } else {
      await cancelPendingWithin(trx, order, reason, now, events);
    }
    await recordEvents(trx, ctx, events);
    return loadOrderView({ ...ctx, db: trx }, await findOrderRow(trx, order.code));
  });
}
