// A payment or refund in its context: the one query order views, reports and exports build on.
// Readers add their own where/order.
import type { Queryable } from '../../db/transaction.js';
import type { Payment } from '../../db/schema.js';
import type { PaymentMethod } from './payment.js';

/** Payments and refunds with their order, event and venue. */
export function paymentQuery(db: Queryable) {
  return db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.order_id')
    .innerJoin('events', 'events.id', 'orders.event_id')
    .innerJoin('venues', 'venues.id', 'events.venue_id')
    .select([
      'payments.id',
      'payments.order_id',
      'payments.kind',
      'payments.method',
      'payments.amount',
      'payments.currency',
      'payments.tendered',
      'payments.change_given',
      'payments.reference',
      'payments.reason',
      'payments.operator_name',
      'payments.created_at',
      'orders.code as order_code',
      'events.id as event_id',
      'events.name as event_name',
      'venues.timezone',
    ]);
}

/** One row of paymentQuery. */
export type PaymentRow = Awaited<ReturnType<ReturnType<typeof paymentQuery>['execute']>>[number];

export interface PaymentView {
  id: number;
  kind: Payment['kind'];
  method: PaymentMethod;
  amount: number;
  currency: string;
  tendered: number | null;
  change: number | null;
  reference: string | null;
  reason: string | null;
  operator: string;
  createdAt: string;
}

/** A payment as people and scripts see it (an order's `payments`). */
export function paymentView(p: PaymentRow): PaymentView {
  return {
    id: p.id,
    kind: p.kind,
    method: p.method,
    amount: p.amount,
    currency: p.currency,
    tendered: p.tendered,
    change: p.change_given,
    reference: p.reference,
    reason: p.reason,
    operator: p.operator_name,
    createdAt: p.created_at,
  };
}
