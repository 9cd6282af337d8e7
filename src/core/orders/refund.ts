// Refunds, full or partial (per ticket or by amount), to the original payment method. Refunded
// tickets are voided and their seats go back on sale.
import { lockRow, rehearseTransaction, TransactionConflict, writeTransaction, type Trx } from '../../db/transaction.js';
import type { Order } from '../../db/schema.js';
import { normaliseTicketCode } from '../codes.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { formatMoney } from '../money.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findOrderRow, loadOrderView, type OrderView } from './view.js';

export interface RefundRequest {
  code: string;
  /** Ticket codes: refund and void just these. */
  tickets?: readonly string[];
  /** Give back this much money (minor units) and keep the tickets valid. */
  amount?: number;
  reason?: string;
  /** Work out the refund exactly, then roll it back. */
  dryRun?: boolean;
}

/** Refunds an order (manager): all of it, some tickets, or an amount of money. */
export async function refundOrder(ctx: CoreContext, request: RefundRequest): Promise<OrderView> {
  requireRole(ctx.actor, 'refund');
  if (request.tickets !== undefined && request.amount !== undefined) throw invalid('refund either some tickets or an amount, not both').because('refund_tickets_and_amount', {});
  plainText(request.reason, 'reason');
  const run = request.dryRun ? rehearseTransaction : writeTransaction;
  return run(ctx.db, async (trx: Trx) => {
    const order = await findOrderRow(trx, request.code);
    const events: DomainEvent[] = [];
    await refundWithin(trx, ctx, order, request, events);
    await recordEvents(trx, ctx, events);
    return loadOrderView({ ...ctx, db: trx }, await findOrderRow(trx, order.code));
  });
}

/** The refund itself, inside the caller's transaction (also used when an event is cancelled). */
export async function refundWithin(trx: Trx, ctx: CoreContext, read: Order, request: Omit<RefundRequest, 'code'>, events: DomainEvent[]): Promise<number> {
  // What is left to refund is a sum of earlier payments and refunds: on PostgreSQL two refunds
  // would both read the same sum and together give back more than was paid. The order row is
  // locked FOR UPDATE first (as paying, expiring and cancelling it are), so refunds of one order
  // run one after another and each sums the refunds committed before it.
  const order = (await lockRow(trx, 'orders', read.id)) ?? read;
  if (order.status !== 'paid' && order.status !== 'partially_refunded') {
    throw new BoxofficeError('invalid_state', `order ${order.code} is ${order.status.replace('_', ' ')}: only paid orders can be refunded`);
  }
  const payments = await trx.selectFrom('payments').selectAll().where('order_id', '=', order.id).orderBy('id').execute();
  const payment = payments.find((p) => p.kind === 'payment');
  if (!payment) throw new BoxofficeError('invalid_state', `order ${order.code} has no payment to refund`);
  const refundable = payments.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amount : -p.amount), 0);
  const tickets = await trx.selectFrom('tickets').select(['id', 'code', 'status', 'price', 'seat_id']).where('order_id', '=', order.id).orderBy('id').execute();

  let toVoid: typeof tickets = [];
  let amount: number;
  if (request.amount !== undefined) {
    amount = request.amount;
    if (!Number.isSafeInteger(amount) || amount < 0) throw invalid(`a refund amount is a whole, non-negative number of minor units, not ${amount}`);
    if (amount === 0) throw invalid('a refund amount must be more than 0');
    if (amount > refundable) {
      const paid = payments.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amount : 0), 0);
      const message = `at most ${formatMoney(refundable, order.currency)} can be refunded on order ${order.code}`;
      // More than was ever paid is a wrong amount (invalid_input); within what was paid, the refunds
      // made since (perhaps a moment ago, at another terminal) are what stand in the way: a
      // conflict with the order as it is now (invalid_state), as any other lost race.
      if (amount <= paid) throw new BoxofficeError('invalid_state', `${message}: ${formatMoney(paid - refundable, order.currency)} of it was refunded already`, undefined, { refundable });
      throw invalid(message);
    }
  } else {
    if (request.tickets !== undefined) {
      const codes = request.tickets.map((c) => normaliseTicketCode(c)).filter(Boolean);
      if (codes.length === 0) throw invalid('no ticket codes given');
      for (const code of codes) {
        const t = tickets.find((x) => x.code === code);
        if (!t) throw new BoxofficeError('not_found', `order ${order.code} has no ticket ${JSON.stringify(code)}`);
        toVoid.push(t);
      }
    } else {
      toVoid = tickets.filter((t) => t.status !== 'void');
    }
    for (const t of toVoid) {
      if (t.status === 'used')
        throw new BoxofficeError('ticket_used', `ticket ${t.code} was already used at the door and cannot be refunded`, 'refund the others by their codes').because('ticket_used_refund_others', {
          ticket: t.code ?? '',
        });
      if (t.status === 'void') throw new BoxofficeError('ticket_void', `ticket ${t.code} is already void`);
    }
    // Comps were paid 0: their refund is 0 whatever the tier price; never more than is left.
    const full = request.tickets === undefined;
    amount = full ? refundable : Math.min(refundable, payment.method === 'comp' ? 0 : toVoid.reduce((s, t) => s + t.price, 0));
  }

  const now = nowIso(ctx);
  const refund = await trx
    .insertInto('payments')
    .values({
      order_id: order.id,
      kind: 'refund',
      method: payment.method,
      amount,
      currency: order.currency,
      tendered: null,
      change_given: null,
      reference: payment.reference,
      reason: request.reason ?? null,
      operator_id: ctx.actor.staffId,
      operator_name: ctx.actor.name,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const voidIds = toVoid.map((t) => t.id);
  if (voidIds.length) {
    // Conditional: a ticket scanned at the door since it was read (check-in does not lock the
    // order) is not voided behind the door's back; the refund runs again and refuses it.
    const voided = await trx.updateTable('tickets').set({ status: 'void', voided_at: now }).where('id', 'in', voidIds).where('status', '=', 'valid').executeTakeFirst();
    if (Number(voided.numUpdatedRows) !== voidIds.length) throw new TransactionConflict(new BoxofficeError('invalid_state', `tickets of order ${order.code} changed while being refunded`));
    await trx.deleteFrom('seat_claims').where('ticket_id', 'in', voidIds).execute();
    for (const t of toVoid) events.push({ type: 'ticket.voided', subject: `ticket/${t.id}`, data: { id: t.id, order: order.code, reason: 'refund' } });
  }
  const remaining = tickets.filter((t) => t.status !== 'void' && !voidIds.includes(t.id));
  const status = remaining.length === 0 ? 'refunded' : 'partially_refunded';
  await trx
    .updateTable('orders')
    .set({ status, closed_at: status === 'refunded' ? now : null })
    .where('id', '=', order.id)
    .execute();
  events.push(
    { type: 'refund.created', subject: `order/${order.code}`, data: { id: refund.id, order: order.code, method: payment.method, amount, currency: order.currency, reason: request.reason ?? null } },
    { type: 'order.refunded', subject: `order/${order.code}`, data: { code: order.code, amount, currency: order.currency, status, ticketsVoided: voidIds.length } },
  );
  return amount;
}
