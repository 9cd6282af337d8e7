// Taking payment for an order: the money, the tickets issued, the seats marked sold, the customer
// and lead recorded, all in the caller's transaction.
import type { Trx } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { Order, Payment } from '../../db/schema.js';
import { newTicketCode } from '../codes.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { formatMoney } from '../money.js';
import type { DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { matchOrCreateCustomer, normaliseEmail } from '../customers/customers.js';
import { convertLeads } from '../customers/leads.js';

/** How an order is paid: the one list of payment methods (reports, exports, the feed, the TUI). */
export const PAYMENT_METHODS = ['cash', 'card', 'comp', 'external'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A payment as asked for: what each method needs, and nothing another method would. */
export type PaymentRequest =
  /** `tendered`: cash handed over, in minor units; the exact total when left out. */
  | { method: 'cash'; tendered?: number }
  /** The card terminal's reference. */
  | { method: 'card'; cardRef: string }
  | { method: 'comp' }
  /** A reference from another sales channel. */
  | { method: 'external'; ref: string };

export interface BuyerRequest {
  email?: string;
  name?: string;
}

/** The payment method named `text` (any case). */
export function paymentMethod(text: string): PaymentMethod {
  const method = text?.trim().toLowerCase() as PaymentMethod;
  if (!PAYMENT_METHODS.includes(method)) throw invalid(`unknown payment method ${JSON.stringify(text)}`, `use one of: ${PAYMENT_METHODS.join(', ')}`);
  return method;
}

/** Checks what can be checked without the database: the method and its references. */
export function checkPaymentShape(p: PaymentRequest): PaymentMethod {
  const method = paymentMethod(p.method);
  // A request built at run time (JSON, a script) may carry another method's field.
  const given = p as { tendered?: unknown; cardRef?: unknown; ref?: unknown };
  if (given.tendered !== undefined && method !== 'cash') throw invalid('an amount tendered is for cash payments').because('tendered_not_cash', {});
  if (p.method === 'cash' && p.tendered !== undefined && (!Number.isSafeInteger(p.tendered) || p.tendered < 0))
    throw invalid(`tendered must be a whole, non-negative number of minor units, not ${p.tendered}`);
  if (p.method === 'card' && !p.cardRef?.trim()) throw invalid('a card payment needs the terminal reference').because('card_ref_missing', {});
  if (p.method === 'external' && !p.ref?.trim()) throw invalid('an external payment needs its reference').because('external_ref_missing', {});
  if (p.method === 'card') plainText(p.cardRef, 'card reference');
  if (p.method === 'external') plainText(p.ref, 'payment reference');
  return method;
}

export function checkBuyer(b: BuyerRequest): { email?: string; name?: string } {
  return { email: b.email ? normaliseEmail(b.email) : undefined, name: plainText(b.name?.trim() || undefined, 'customer name') };
}

type NewPayment = Omit<Payment, 'id'>;
const insertPayment = prepared((db, p: NewPayment) =>
  db
    .insertInto('payments')
    .values({
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
    })
    .returning('id'),
);

const markPaid = prepared((db, p: { id: number; at: string; customerId: number | null; holderName: string | null }) =>
  db
    .updateTable('orders')
    .set({ status: 'paid', paid_at: p.at, expires_at: null, customer_id: p.customerId, holder_name: p.holderName })
    .where('id', '=', p.id)
    // Conditional: only a pending order becomes paid. The callers hold the order row (a new order,
    // or payOrder's FOR UPDATE), so this always finds it pending; were a lock ever missed, the
    // payment would fail instead of reviving an expired or cancelled order whose seats are gone.
    .where('status', '=', 'pending')
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
    tendered = request.method === 'cash' && request.tendered !== undefined ? request.tendered : order.total;
    if (tendered < order.total) {
      throw invalid(`tendered ${formatMoney(tendered, order.currency)} is less than the total ${formatMoney(order.total, order.currency)}`);
    }
    change = tendered - order.total;
  }
  const reference = (request.method === 'card' ? request.cardRef : request.method === 'external' ? request.ref : undefined)?.trim() ?? null;
  const paymentId = await insertPayment.insert(trx, {
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
      .where(
        'ticket_id',
        'in',
        held.map((t) => t.id),
      )
      .execute();
  }
  const paid = await markPaid.first(trx, { id: order.id, at: now, customerId: customer?.id ?? order.customer_id, holderName: name ?? order.holder_name });
  if (!paid) throw new BoxofficeError('invalid_state', `order ${order.code} is no longer awaiting payment`);
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
