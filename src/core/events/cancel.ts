// Cancelling an event: sales stop, holds are released, and (if asked) every paid order is refunded
// to its original method — all in one transaction.
import { lockRow, rehearseTransaction, writeTransaction, type Trx } from '../../db/transaction.js';
import { BoxofficeError } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { refundWithin } from '../orders/refund.js';
import { cancelPendingWithin, expireDueHolds } from '../orders/lifecycle.js';
import { eventView, findEvent, type EventView } from './events.js';

export interface CancellationResult {
  event: EventView;
  dryRun: boolean;
  holdsReleased: string[];
  refunded: { code: string; amount: number; currency: string }[];
  /** Paid orders left for a manager to refund (when --refund was not given). */
  toRefund: string[];
}

export async function cancelEvent(ctx: CoreContext, ref: string, options: { refund?: boolean; reason?: string; dryRun?: boolean } = {}): Promise<CancellationResult> {
  requireRole(ctx.actor, 'cancel_event');
  if (options.refund) requireRole(ctx.actor, 'refund');
  plainText(options.reason, 'reason');
  const run = options.dryRun ? rehearseTransaction : writeTransaction;
  return run(ctx.db, async (trx: Trx) => {
    const found = await findEvent(trx, ref);
    const { venue } = found;
    // PostgreSQL: the event row FOR UPDATE. Every sale and payment holds it KEY SHARE while it
    // runs, so this waits for those under way, and those that follow find the event cancelled:
    // no order is paid behind the refunds below. Each order is then locked as it is released
    // (conditional update) or refunded (refundWithin).
    const event = (await lockRow(trx, 'events', found.event.id)) ?? found.event;
    if (event.status === 'cancelled') throw new BoxofficeError('invalid_state', `event ${event.name} is already cancelled`);
    if (event.status === 'completed') throw new BoxofficeError('invalid_state', `event ${event.name} has already taken place`);
    const events: DomainEvent[] = [];
    const now = nowIso(ctx);
    await expireDueHolds(trx, ctx, event.id, events);
    const pending = await trx.selectFrom('orders').selectAll().where('event_id', '=', event.id).where('status', '=', 'pending').execute();
    for (const order of pending) await cancelPendingWithin(trx, order, `event cancelled${options.reason ? `: ${options.reason}` : ''}`, now, events);
    const paid = await trx.selectFrom('orders').selectAll().where('event_id', '=', event.id).where('status', 'in', ['paid', 'partially_refunded']).orderBy('id').execute();
    const refunded: CancellationResult['refunded'] = [];
    if (options.refund) {
      for (const order of paid) {
        const valid = await trx.selectFrom('tickets').select(['code', 'status']).where('order_id', '=', order.id).execute();
        const used = valid.some((t) => t.status === 'used');
        const request = used ? { tickets: valid.filter((t) => t.status === 'valid').map((t) => t.code as string) } : {};
        if (used && !request.tickets?.length) continue;
        const amount = await refundWithin(trx, ctx, order, { ...request, reason: `event cancelled${options.reason ? `: ${options.reason}` : ''}` }, events);
        refunded.push({ code: order.code, amount, currency: order.currency });
      }
    }
    const row = await trx.updateTable('events').set({ status: 'cancelled' }).where('id', '=', event.id).returningAll().executeTakeFirstOrThrow();
    events.push({ type: 'event.cancelled', subject: `event/${event.id}`, data: { id: event.id, name: event.name, reason: options.reason ?? null, refundedOrders: refunded.length } });
    await recordEvents(trx, ctx, events);
    return {
      event: eventView(row, venue),
      dryRun: Boolean(options.dryRun),
      holdsReleased: pending.map((o) => o.code),
      refunded,
      toRefund: options.refund ? [] : paid.map((o) => o.code),
    };
  });
}
