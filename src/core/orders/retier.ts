// Changing the tier of tickets on a held order, before it is paid: the seats stay held, each
// ticket is repriced for its tier and zone, and the order's total follows.
import { lockRow, writeTransaction } from '../../db/transaction.js';
import { sameName } from '../../db/fold.js';
import { BoxofficeError, invalid } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { listTiers, priceFor } from '../events/tiers.js';
import { findOrderRow, loadOrderView, type OrderView } from './view.js';

export interface TierChange {
  ticketId: number;
  /** A tier name of the order's event (case-insensitive). */
  tier: string;
}

/** Sets the tier of some tickets of a pending order and reprices them; the hold itself is unchanged. */
export async function changeHeldTiers(ctx: CoreContext, code: string, changes: TierChange[]): Promise<OrderView> {
  if (changes.length === 0) throw invalid('no tier changes given');
  return writeTransaction(ctx.db, async (trx) => {
    const found = await findOrderRow(trx, code);
    // PostgreSQL: the order row FOR UPDATE, as paying, expiring and cancelling it take it, so the
    // held tickets repriced here are still held, and the total written is the one that gets paid.
    const order = (await lockRow(trx, 'orders', found.id)) ?? found;
    const own = order.operator_id === ctx.actor.staffId;
    requireRole(ctx.actor, own ? 'hold' : 'release_any_hold');
    if (order.status !== 'pending') {
      throw new BoxofficeError('invalid_state', `order ${order.code} is ${order.status.replace('_', ' ')}: its tiers can no longer change`);
    }
    if (order.expires_at !== null && order.expires_at <= nowIso(ctx)) {
      throw new BoxofficeError('hold_expired', `the hold on order ${order.code} expired at ${order.expires_at}`, 'hold the seats again');
    }
    const event = await trx.selectFrom('events').selectAll().where('id', '=', order.event_id).executeTakeFirstOrThrow();
    const tiers = await listTiers(trx, event);
    const tickets = await trx
      .selectFrom('tickets')
      .innerJoin('sections', 'sections.id', 'tickets.section_id')
      .leftJoin('seats', 'seats.id', 'tickets.seat_id')
      .select(['tickets.id', 'tickets.tier_id', 'tickets.price', 'seats.zone', 'sections.zone as section_zone'])
      .where('tickets.order_id', '=', order.id)
      .where('tickets.status', '=', 'held')
      .execute();
    const changed: { ticketId: number; tier: string; price: number }[] = [];
    for (const change of changes) {
      const ticket = tickets.find((t) => t.id === change.ticketId);
      if (!ticket) throw new BoxofficeError('not_found', `order ${order.code} has no held ticket ${change.ticketId}`);
      const tier = tiers.find((t) => sameName(t.name, change.tier.trim()));
      if (!tier) {
        throw new BoxofficeError('not_found', `event ${event.name} has no tier ${JSON.stringify(change.tier)}`, `its tiers: ${tiers.map((t) => t.name).join(', ')}`);
      }
      const zone = ticket.zone ?? ticket.section_zone;
      const price = priceFor(tier.prices, zone);
      if (price === undefined) throw new BoxofficeError('not_found', `tier ${tier.name} has no price for ${zone ? `zone ${zone}` : 'these seats'}`);
      if (ticket.tier_id === tier.id && ticket.price === price) continue;
      await trx.updateTable('tickets').set({ tier_id: tier.id, price }).where('id', '=', ticket.id).execute();
      ticket.tier_id = tier.id;
      ticket.price = price;
      changed.push({ ticketId: ticket.id, tier: tier.name, price });
    }
    if (changed.length) {
      const total = tickets.reduce((sum, t) => sum + t.price, 0);
      await trx.updateTable('orders').set({ total }).where('id', '=', order.id).execute();
      await recordEvents(trx, ctx, [{ type: 'order.tiers_changed', subject: `order/${order.code}`, data: { code: order.code, total, currency: order.currency, tickets: changed } }]);
    }
    return loadOrderView({ ...ctx, db: trx }, await findOrderRow(trx, order.code));
  });
}
