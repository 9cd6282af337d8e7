// What an order looks like to people and scripts: its tickets and payments with it.
import { sql } from '../../db/kysely.js';
import { foldKey } from '../../db/fold.js';
import { dialectOf } from '../../db/dialect.js';
import type { Queryable } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { Order } from '../../db/schema.js';
import { normaliseOrderCode } from '../codes.js';
import { BoxofficeError, notFound, invalid } from '../errors.js';
import { formatInZone } from '../time.js';
import { paymentQuery, paymentView, type PaymentView } from './payment-query.js';
import { ticketQuery, ticketSeat, type TicketStatus } from '../tickets/query.js';
import type { CoreContext } from '../context.js';
import { can, requireRole } from '../staff/permissions.js';

export interface TicketView {
  id: number;
  code: string | null;
  status: TicketStatus;
  tier: string;
  price: number;
  currency: string;
  section: string;
  row: string | null;
  number: number | null;
  /** The reference `--seats` accepts; null for general admission. */
  seat: string | null;
  issuedAt: string | null;
}

export interface OrderView {
  /** The order code: what people and commands call an order. */
  id: string;
  code: string;
  status: Order['status'];
  event: { id: number; name: string; startsAt: string; venue: string; timezone: string };
  total: number;
  paid: number;
  refunded: number;
  currency: string;
  customer: { id: number; email: string; name: string | null } | null;
  holderName: string | null;
  operator: string;
  channel: string;
  createdAt: string;
  expiresAt: string | null;
  paidAt: string | null;
  tickets: TicketView[];
  payments: PaymentView[];
}

const orderByCode = prepared((db, p: { code: string }) => db.selectFrom('orders').selectAll().where('code', '=', p.code));

export async function findOrderRow(db: Queryable, codeInput: string): Promise<Order> {
  const code = normaliseOrderCode(codeInput);
  if (!code) throw invalid('no order code given');
  const order = await orderByCode.first(db, { code });
  if (!order) throw notFound(`no order ${code}`, 'find it by the name, email or code').because('order_unknown', { code });
  return order;
}

const eventOfOrder = prepared((db, p: { eventId: number }) =>
  db
    .selectFrom('events')
    .innerJoin('venues', 'venues.id', 'events.venue_id')
    .select((eb) => [
      'events.id',
      'events.name',
      'events.starts_at',
      'events.venue_id',
      'venues.name as venue',
      'venues.timezone',
      // Seat references name the section only where the venue has several reserved ones.
      eb
        .selectFrom('sections')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('sections.venue_id', '=', 'events.venue_id')
        .where('sections.kind', '=', 'reserved')
        .as('reserved_sections'),
    ])
    .where('events.id', '=', p.eventId),
);

const ticketsOfOrder = prepared((db, p: { orderId: number }) => ticketQuery(db).where('tickets.order_id', '=', p.orderId).orderBy('tickets.id'));

const paymentsOfOrder = prepared((db, p: { orderId: number }) => paymentQuery(db).where('payments.order_id', '=', p.orderId).orderBy('payments.id'));
const customerById = prepared((db, p: { id: number }) => db.selectFrom('customers').select(['id', 'email', 'name']).where('id', '=', p.id));

/**
 * Loads an order with its event, tickets, payments and customer, for the operator in `ctx`: after a
 * change the verb made (which checked their role for it), or through showOrder, which checks it.
 */
export async function loadOrderView(ctx: CoreContext, order: Order): Promise<OrderView> {
  const { db } = ctx;
  const event = await eventOfOrder.first(db, { eventId: order.event_id });
  if (!event) throw new Error(`order ${order.code} names event ${order.event_id}, which does not exist`);
  const tickets = await ticketsOfOrder.all(db, { orderId: order.id });
  const payments = await paymentsOfOrder.all(db, { orderId: order.id });
  const customer = order.customer_id ? await customerById.first(db, { id: order.customer_id }) : undefined;
  const qualify = Number(event.reserved_sections) > 1;
  const sum = (kind: 'payment' | 'refund') => payments.filter((p) => p.kind === kind).reduce((a, p) => a + p.amount, 0);
  return {
    id: order.code,
    code: order.code,
    status: order.status,
    event: { id: event.id, name: event.name, startsAt: formatInZone(event.starts_at, event.timezone), venue: event.venue, timezone: event.timezone },
    total: order.total,
    paid: sum('payment'),
    refunded: sum('refund'),
    currency: order.currency,
    customer: customer ?? null,
    holderName: order.holder_name,
    operator: order.operator_name,
    channel: order.channel,
    createdAt: order.created_at,
    expiresAt: order.status === 'pending' ? order.expires_at : null,
    paidAt: order.paid_at,
    tickets: tickets.map((t) => ({
      id: t.id,
      code: t.code,
      status: t.status,
      tier: t.tier,
      price: t.price,
      currency: order.currency,
      section: t.section,
      row: t.row_label,
      number: t.number,
      seat: ticketSeat(t, qualify),
      issuedAt: t.issued_at,
    })),
    payments: payments.map(paymentView),
  };
}

/** The currency an order is in (what an amount typed for it is read in); nothing personal. */
export async function orderCurrency(ctx: CoreContext, code: string): Promise<string> {
  return (await findOrderRow(ctx.db, code)).currency;
}

/** One order by its code, for whoever serves at the counter (a code is not guessable). */
export async function showOrder(ctx: CoreContext, code: string): Promise<OrderView> {
  requireRole(ctx.actor, 'look_up_orders', { what: 'look up orders' });
  return loadOrderView(ctx, await findOrderRow(ctx.db, code));
}

export interface OrderSummary {
  id: string;
  code: string;
  status: Order['status'];
  eventId: number;
  event: string;
  tickets: number;
  total: number;
  currency: string;
  customer: string | null;
  operator: string;
  createdAt: string;
}

export interface OrderFilter {
  event?: number;
  status?: string;
  text?: string;
  limit?: number;
}

/** The shortest part of a name a counter search matches (shorter ones would match nearly everyone). */
const MIN_NAME_SEARCH = 3;

/**
 * Orders, newest first. Without `text`, every order: a bulk read for managers and admins. With
 * `text`, a search: a manager's matches any part of the code, holder name, customer name, email or
 * phone; a clerk's (who looks up the person in front of them, not everyone) the whole code, email
 * or phone, or a part of a name of at least MIN_NAME_SEARCH characters.
 */
export async function listOrders(ctx: CoreContext, filter: OrderFilter = {}): Promise<OrderSummary[]> {
  if (!filter.text) {
    try {
      requireRole(ctx.actor, 'read_personal_data', { what: 'list every order', hint: 'find the one you need by its code, email or name' });
    } catch (err) {
      throw err instanceof BoxofficeError ? err.because('orders_list_forbidden', {}) : err;
    }
  } else requireRole(ctx.actor, 'look_up_orders', { what: 'look up orders' });
  const anyPart = can(ctx.actor, 'read_personal_data');
  let q = ctx.db
    .selectFrom('orders')
    .innerJoin('events', 'events.id', 'orders.event_id')
    .leftJoin('customers', 'customers.id', 'orders.customer_id')
    .select((eb) => [
      'orders.code',
      'orders.status',
      'orders.event_id',
      'events.name as event',
      'orders.total',
      'orders.currency',
      'orders.operator_name',
      'orders.created_at',
      'orders.holder_name',
      'customers.email',
      eb
        .selectFrom('tickets')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('tickets.order_id', '=', 'orders.id')
        .as('tickets'),
    ]);
  if (filter.event !== undefined) q = q.where('orders.event_id', '=', filter.event);
  if (filter.status) q = q.where('orders.status', '=', filter.status as Order['status']);
  if (filter.text) {
    const text = filter.text.trim();
    // Case-blind by one rule on both databases: the needle is folded here and the text in SQL
    // (its key column where it has one, else SqlDialect.fold), so "évora" finds "Évora" on
    // SQLite too and LIKE's own case rules (ASCII-blind on SQLite, exact on PostgreSQL) never
    // apply. The user's % _ and \ match themselves.
    const needle = foldKey(text);
    const like = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const code = normaliseOrderCode(text);
    const { fold } = dialectOf(ctx.db);
    const folded = (column: string) => (column === 'customers.email' ? sql.ref('customers.email_key') : fold(sql.ref(column)));
    const part = (column: string) => sql<boolean>`${folded(column)} like ${like} escape '\\'`;
    const whole = (column: string) => sql<boolean>`${folded(column)} = ${needle}`;
    const names = anyPart || text.length >= MIN_NAME_SEARCH ? [part('orders.holder_name'), part('customers.name')] : [];
    q = q.where((eb) => eb.or([eb('orders.code', '=', code), ...names, anyPart ? part('customers.email') : whole('customers.email'), anyPart ? part('customers.phone') : whole('customers.phone')]));
  }
  const rows = await q
    .orderBy('orders.id', 'desc')
    .limit(filter.limit ?? 1000)
    .execute();
  return rows.map((r) => ({
    id: r.code,
    code: r.code,
    status: r.status,
    eventId: r.event_id,
    event: r.event,
    tickets: Number(r.tickets ?? 0),
    total: r.total,
    currency: r.currency,
    customer: r.email ?? r.holder_name,
    operator: r.operator_name,
    createdAt: r.created_at,
  }));
}
