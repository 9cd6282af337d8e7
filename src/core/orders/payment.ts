// Taking payment for an order: the money, the tickets issued, the seats marked sold, the customer
// and lead recorded, all in the caller's transaction.
import type { Trx } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { Order, Payment } from '../../db/schema.js';
import { newTicketCode } from '../codes.js';
import { invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { formatMoney, parseMoney } from '../money.js';
import type { DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { matchOrCreateCustomer, normaliseEmail } from '../customers/customers.js';
import { convertLeads } from '../customers/leads.js';

export type PaymentMethod = 'cash' | 'card' | 'comp' | 'external';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'card', 'comp', 'external'];

export interface PaymentRequest {
  method: string;
  /** Cash handed over, in major units; defaults to the exact total. */
  tendered?: string;
  /** The card terminal's reference. */
  cardRef?: string;
  /** A reference from another sales channel (external). */
  ref?: string;
}

export interface BuyerRequest {
  email?: string;
  name?: string;
}

/** Checks what can be checked without the database: the method and its references. */
export function checkPaymentShape(p: PaymentRequest): PaymentMethod {
  const method = p.method?.trim().toLowerCase() as PaymentMethod;
  if (!PAYMENT_METHODS.includes(method)) throw invalid(`unknown payment method ${JSON.stringify(p.method)}`, `use one of: ${PAYMENT_METHODS.join(', ')}`);
  if (p.tendered !== undefined && method !== 'cash') throw invalid('--tendered is for cash payments');
  if (p.cardRef !== undefined && method !== 'card') throw invalid('--card-ref is for card payments');
  if (p.ref !== undefined && method !== 'external') throw invalid('--ref is for external payments');
  if (method === 'card' && !p.cardRef?.trim()) throw invalid('a card payment needs the terminal reference: --card-ref R');
  if (method === 'external' && !p.ref?.trim()) throw invalid('an external payment needs its reference: --ref R');
  plainText(p.cardRef, 'card reference');
  plainText(p.ref, 'payment reference');
  return method;
}

export function checkBuyer(b: BuyerRequest): { email?: string; name?: string } {
  return { email: b.email ? normaliseEmail(b.email) : undefined, name: plainText(b.name?.trim() || undefined, 'customer name') };
}

type NewPayment = Omit<Payment, 'id'>;
const insertPayment = prepared((db, p: NewPayment) =>
  db.insertInto('payments').values({
    order_id: p.order_id,
    kind: p.kind,
    method: p.method,
    amount: p.amount,
    currency: p.currency,
    tendered: p.tendered,
    change_given: p.change_given,
    reference: p.reference,
    reason: p.reason,
    operator_id: p.operator_id,
    operator_name: p.operator_name,
    created_at: p.created_at,
  }).returning('id'),
);

const markPaid = prepared((db, p: { id: number; at: string; customerId: number | null; holderName: string | null }) =>
  db
    .updateTable('orders')
    .set({ status: 'paid', paid_at: p.at, expires_at: null, customer_id: p.customerId, holder_name: p.holderName })
    .where('id', '=', p.id)
    .returningAll(),
);

/** Pays a pending order in full and issues its tickets; returns the order as paid. */
export async function takePayment(
  trx: Trx,
  ctx: CoreContext,
  order: Order,
  request: PaymentRequest,
  buyer: BuyerRequest,
  events: DomainEvent[],
  /** Tickets the caller already issued in this transaction (a sale issues them as it creates them). */
  alreadyIssued = 0,
): Promise<Order> {
  const method = checkPaymentShape(request);
  if (method === 'comp') requireRole(ctx.actor, 'comp');
  const now = nowIso(ctx);
  let amount = order.total;
  let tendered: number | null = null;
  let change: number | null = null;
  if (method === 'comp') amount = 0;
  if (method === 'cash') {
    tendered = request.tendered !== undefined ? parseMoney(request.tendered, order.currency, 'tendered') : order.total;
    if (tendered < order.total) {
      throw invalid(`tendered ${formatMoney(tendered, order.currency)} is less than the total ${formatMoney(order.total, order.currency)}`);
    }
    change = tendered - order.total;
  }
  const reference = (method === 'card' ? request.cardRef : method === 'external' ? request.ref : undefined)?.trim() ?? null;
  const { insertId: paymentId } = await insertPayment.run(trx, {
    order_id: order.id,
    kind: 'payment',
    method,
    amount,
    currency: order.currency,
    tendered,
    change_given: change,
    reference,
    reason: null,
    operator_id: ctx.actor.staffId,
    operator_name: ctx.actor.name,
    created_at: now,
  });

  // A hold may have taken the buyer's email already; what the payment gives wins.
  const { email, name } = checkBuyer({ email: buyer.email ?? order.buyer_email ?? undefined, name: buyer.name ?? order.holder_name ?? undefined });
  const customer = email ? await matchOrCreateCustomer(trx, ctx, email, name, events) : undefined;

  const held = alreadyIssued ? [] : await trx.selectFrom('tickets').select(['id', 'seat_id', 'price']).where('order_id', '=', order.id).where('status', '=', 'held').execute();
  for (const t of held) {
    await trx.updateTable('tickets').set({ status: 'valid', code: newTicketCode(), issued_at: now }).where('id', '=', t.id).execute();
    events.push({ type: 'ticket.issued', subject: `ticket/${t.id}`, data: { id: t.id, order: order.code, price: t.price } });
  }
  if (held.length) {
    await trx
      .updateTable('seat_claims')
      .set({ status: 'sold', expires_at: null })
      .where('ticket_id', 'in', held.map((t) => t.id))
      .execute();
  }
  const paid = await markPaid.first(trx, { id: order.id, at: now, customerId: customer?.id ?? order.customer_id, holderName: name ?? order.holder_name });
  if (!paid) throw new Error(`order ${order.code} vanished while being paid`);
  if (email) await convertLeads(trx, ctx, email, order, events);
  events.push(
    {
      type: 'payment.created',
      subject: `order/${order.code}`,
      data: { id: paymentId, order: order.code, method, amount, currency: order.currency, tendered, change, reference },
    },
    { type: 'order.paid', subject: `order/${order.code}`, data: { code: order.code, total: order.total, paid: amount, currency: order.currency, method, tickets: held.length + alreadyIssued } },
  );
  return paid;
}
