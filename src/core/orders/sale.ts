// Holding and selling seats. Each runs in one write transaction that sweeps the event's expired
// holds, chooses the places, claims them and (for a sale) takes payment: all of it commits, or
// nothing does.
import type { Trx } from '../../db/transaction.js';
import { isUniqueViolation, lockForTransaction, lockRow, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { sameName } from '../../db/fold.js';
import { prepared } from '../../db/prepared.js';
import type { EventRow, Order } from '../../db/schema.js';
import { newOrderCode, newTicketCode } from '../codes.js';
import { BoxofficeError, invalid } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { resolveByIdOrName } from '../references.js';
import { listTiers, priceFor } from '../events/tiers.js';
import { choosePlaces, selectionSize, type Place, type SeatSelection } from './selection.js';
import { seatLabel } from '../inventory/seat-refs.js';
import { assignTiers, checkTierCounts, type TierCount } from './tier-split.js';
import { newIdempotencyKey, rememberKey, replayedOrder, requestHash, validateKey } from './idempotency.js';
import { checkBuyer, checkPaymentShape, takePayment, type BuyerRequest, type PaymentRequest } from './payment.js';
import { expireDueHolds } from './lifecycle.js';
import { findOrderRow, loadOrderView, type OrderView } from './view.js';

const DEFAULT_HOLD_MINUTES = 15;

export interface HoldRequest extends SeatSelection, BuyerRequest {
  event: string;
  /** One tier for every place, or counts in seat order; may be left out when the event has a single tier. */
  tier?: readonly TierCount[];
  minutes?: number;
}

export interface SaleRequest extends SeatSelection, BuyerRequest {
  event: string;
  tier?: readonly TierCount[];
  payment: PaymentRequest;
  idempotencyKey?: string;
}

export interface SaleResult extends OrderView {
  idempotencyKey: string;
  /** True when this key was seen before and the first result is returned unchanged. */
  replayed: boolean;
}

function assertOnSale(event: EventRow): void {
  if (event.status === 'on_sale') return;
  const refusal = new BoxofficeError('invalid_state', `event ${event.name} is ${event.status.replace('_', ' ')}, not on sale`, event.status === 'draft' ? 'publish it first' : undefined);
  throw event.status === 'draft' ? refusal.because('event_not_published', { eventId: event.id }) : refusal;
}

type NewOrder = Omit<Order, 'id'>;
const insertOrder = prepared((db, p: NewOrder) =>
  db
    .insertInto('orders')
    .values({
      code: p.code,
      event_id: p.event_id,
      status: p.status,
      total: p.total,
      currency: p.currency,
      customer_id: p.customer_id,
      holder_name: p.holder_name,
      buyer_email: p.buyer_email,
      operator_id: p.operator_id,
      operator_name: p.operator_name,
      channel: p.channel,
      created_at: p.created_at,
      expires_at: p.expires_at,
      paid_at: p.paid_at,
      closed_at: p.closed_at,
    })
    // A code already taken (by a committed order, or by one committing meanwhile: PostgreSQL waits
    // for it) inserts nothing and returns no row; the caller draws another code.
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll(),
);

/** Inserts the order under a fresh code: the unique constraint on orders.code decides, not a prior check. */
async function insertWithUniqueCode(trx: Trx, order: Omit<NewOrder, 'code'>): Promise<Order> {
  for (;;) {
    const inserted = await insertOrder.first(trx, { ...order, code: newOrderCode() });
    if (inserted) return inserted;
  }
}

const insertTicket = prepared(
  (db, p: { orderId: number; eventId: number; sectionId: number; seatId: number | null; tierId: number; price: number; code: string | null; status: 'valid' | 'held'; issuedAt: string | null }) =>
    db
      .insertInto('tickets')
      .values({
        order_id: p.orderId,
        event_id: p.eventId,
        section_id: p.sectionId,
        seat_id: p.seatId,
        tier_id: p.tierId,
        price: p.price,
        code: p.code,
        status: p.status,
        issued_at: p.issuedAt,
        voided_at: null,
        replaces_id: null,
      })
      .returning('id'),
);

const insertClaim = prepared((db, p: { eventId: number; seatId: number; status: 'sold' | 'held'; ticketId: number; expiresAt: string | null }) =>
  db.insertInto('seat_claims').values({ event_id: p.eventId, seat_id: p.seatId, status: p.status, ticket_id: p.ticketId, expires_at: p.expiresAt, reason: null }),
);

interface PricedPlace extends Place {
  tierId: number;
  price: number;
}

async function pricePlaces(trx: Trx, event: EventRow, places: Place[], tierSpec: readonly TierCount[] | undefined): Promise<PricedPlace[]> {
  const tiers = await listTiers(trx, event);
  const priced = tiers.filter((t) => t.prices.length > 0);
  let spec = tierSpec;
  if (spec === undefined) {
    if (priced.length !== 1) throw invalid('say which tier').because('tier_not_chosen', { tiers: priced.map((t) => t.name) });
    spec = [{ name: priced[0].name }];
  }
  const names = assignTiers(checkTierCounts(spec), places.length);
  return places.map((place, i) => {
    const tier = tiers.find((t) => sameName(t.name, names[i]));
    if (!tier) {
      const unknown = new BoxofficeError(
        'not_found',
        `event ${event.name} has no tier ${JSON.stringify(names[i])}`,
        tiers.length ? `its tiers: ${tiers.map((t) => t.name).join(', ')}` : 'set prices first',
      );
      throw tiers.length ? unknown : unknown.because('event_has_no_tiers', { eventId: event.id });
    }
    const price = priceFor(tier.prices, place.zone);
    if (price === undefined) {
      throw new BoxofficeError('not_found', `tier ${tier.name} has no price for ${place.zone ? `zone ${place.zone}` : 'these seats'}`, 'a manager sets its price').because('tier_has_no_price', {
        eventId: event.id,
        tier: tier.name,
        zone: place.zone,
      });
    }
    return { ...place, tierId: tier.id, price };
  });
}

/**
 * What to answer when another transaction claimed one of the chosen seats after they were read
 * (PostgreSQL; SQLite's single writer never gets here): the whole sale runs again
 * (TransactionConflict), and its re-run reads the winner's commit. Seats the buyer named are then
 * refused exactly as a sale after the winner's is ("not available: Stalls:A-1 is sold", by
 * selection.ts, the same words on both databases); seats best available picked are picked again,
 * from what is free now.
 */
function claimLost(place: Place): Error {
  const label = seatLabel({ section: place.sectionName, row: place.row ?? '', number: place.number ?? 0 }, false);
  return new TransactionConflict(
    new BoxofficeError('seat_unavailable', `not available: ${label} was just taken by another sale`, 'choose other seats', { seats: [`${label} is taken`] }).because('seats_taken', {
      seats: [`${label} is taken`],
    }),
  );
}

/**
 * Creates a pending order and claims its places: held until `holdUntil`, or (for a sale, `holdUntil`
 * null) issued at once as valid tickets on sold seats, for the payment that follows in the same
 * transaction.
 */
async function createOrder(
  trx: Trx,
  ctx: CoreContext,
  event: EventRow,
  places: PricedPlace[],
  holdUntil: string | null,
  buyer: { email?: string; name?: string },
  events: DomainEvent[],
  lost: (place: Place) => Error,
): Promise<Order> {
  const now = nowIso(ctx);
  const issue = holdUntil === null;
  const order = await insertWithUniqueCode(trx, {
    event_id: event.id,
    status: 'pending',
    total: places.reduce((sum, p) => sum + p.price, 0),
    currency: event.currency,
    customer_id: null,
    holder_name: buyer.name ?? null,
    buyer_email: buyer.email ?? null,
    operator_id: ctx.actor.staffId,
    operator_name: ctx.actor.name,
    channel: ctx.channel ?? 'cli',
    created_at: now,
    expires_at: holdUntil ?? now,
    paid_at: null,
    closed_at: null,
  });
  const tickets: { id: number; price: number }[] = [];
  for (const p of places) {
    const code = issue ? newTicketCode() : null;
    const status = issue ? ('valid' as const) : ('held' as const);
    const id = await insertTicket.insert(trx, {
      orderId: order.id,
      eventId: event.id,
      sectionId: p.sectionId,
      seatId: p.seatId,
      tierId: p.tierId,
      price: p.price,
      code,
      status,
      issuedAt: issue ? now : null,
    });
    tickets.push({ id, price: p.price });
    // The primary key (event, seat) of seat_claims is the last word on double sales, whatever the
    // checks above read: on PostgreSQL two sales of one seat both pass them (READ COMMITTED, no
    // lock on the event, so that other seats sell in parallel); the second insert waits for the
    // first to commit and fails with a unique violation, which becomes the domain's answer.
    if (p.seatId !== null) {
      try {
        await insertClaim.run(trx, { eventId: event.id, seatId: p.seatId, status: issue ? 'sold' : 'held', ticketId: id, expiresAt: holdUntil });
      } catch (err) {
        if (isUniqueViolation(err, trx)) throw lost(p);
        throw err;
      }
    }
  }
  events.push({
    type: 'order.created',
    subject: `order/${order.code}`,
    data: { code: order.code, eventId: event.id, total: order.total, currency: order.currency, tickets: places.length, expiresAt: holdUntil },
  });
  if (issue) {
    for (const t of tickets) events.push({ type: 'ticket.issued', subject: `ticket/${t.id}`, data: { id: t.id, order: order.code, price: t.price } });
  }
  return order;
}

function checkLimit(event: EventRow, count: number): void {
  if (count > event.order_limit) {
    throw new BoxofficeError('order_limit_exceeded', `at most ${event.order_limit} tickets per order for ${event.name}; ${count} asked for`);
  }
}

/** Holds seats for a pending order that expires after `minutes` (default 15). */
export async function holdSeats(ctx: CoreContext, request: HoldRequest): Promise<OrderView> {
  requireRole(ctx.actor, 'hold');
  const count = selectionSize(request);
  const minutes = request.minutes ?? ctx.holdMinutes ?? DEFAULT_HOLD_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw invalid('a hold lasts a whole number of minutes from 1 to 1440').because('hold_minutes_out_of_range', {});
  const buyer = checkBuyer(request);
  if (request.tier !== undefined) checkTierCounts(request.tier);
  const order = await writeTransaction(ctx.db, async (trx) => {
    const { event, events, places } = await claimablePlaces(trx, ctx, request, count);
    const until = new Date(ctx.clock.now().getTime() + minutes * 60_000).toISOString();
    const created = await createOrder(trx, ctx, event, places, until, buyer, events, claimLost);
    await recordEvents(trx, ctx, events);
    return created;
  });
  // Read back after the commit: the write lock is held only for the writes.
  return loadOrderView(ctx, order);
}

/**
 * What a hold and a sale share, inside their transaction: the event must be on sale and the
 * order within its limit; the event's lapsed holds are expired first (their seats may be the ones
 * asked for); then the free places the request names, each priced by its tier and zone.
 */
async function claimablePlaces(
  trx: Trx,
  ctx: CoreContext,
  request: SeatSelection & { event: string; tier?: readonly TierCount[] },
  count: number,
): Promise<{ event: EventRow; events: DomainEvent[]; places: PricedPlace[] }> {
  const found = await resolveByIdOrName(trx, 'events', request.event);
  // PostgreSQL: a shared lock on the event row (KEY SHARE: sales do not wait for each other, nor
  // for edits of the event) and its status as committed now. Cancelling the event takes FOR
  // UPDATE, so it waits for the sales under way, and sales after it see it cancelled.
  const event = (await lockRow(trx, 'events', found.id, 'key share')) ?? found;
  assertOnSale(event);
  checkLimit(event, count);
  const events: DomainEvent[] = [];
  // One instant for the sweep and the count: a hold due between two reads of the clock would be
  // neither released by the sweep nor counted as held, and its places sold again while it is paid.
  const now = nowIso(ctx);
  await expireDueHolds(trx, ctx, event.id, events, now);
  const chosen = await choosePlaces(trx, event, request, now);
  return { event, events, places: await pricePlaces(trx, event, chosen, request.tier) };
}

/**
 * One charge per idempotency key: on PostgreSQL two requests with the same key would both find it
 * unused and both charge. A lock on the key (advisory, until commit) makes the second wait for the
 * first, and then read the key the first remembered and replay its order. A key this process drew
 * itself is known to nobody else and needs no lock.
 */
async function lockIdempotencyKey(trx: Trx, given: string | undefined): Promise<void> {
  if (given !== undefined) await lockForTransaction(trx, `idempotency:${given}`, 'exclusive');
}

/** Sells seats and takes payment in one step: the order is paid with its tickets, or nothing happened. */
export async function sellSeats(ctx: CoreContext, request: SaleRequest): Promise<SaleResult> {
  requireRole(ctx.actor, 'sell');
  const count = selectionSize(request);
  checkPaymentShape(request.payment);
  checkBuyer(request);
  if (request.tier !== undefined) checkTierCounts(request.tier);
  const key = request.idempotencyKey !== undefined ? validateKey(request.idempotencyKey) : newIdempotencyKey();
  // The request as parsed: the same seats, tiers and money however they were typed.
  const hash = requestHash({
    op: 'sell',
    event: request.event,
    seats: request.seats?.map(({ section, row, number }) => ({ section, row, number })),
    best: request.best,
    quantity: request.quantity,
    section: request.section,
    tier: request.tier,
    payment: request.payment,
    email: request.email,
    name: request.name,
  });
  const { order, replayed } = await writeTransaction(ctx.db, async (trx) => {
    await lockIdempotencyKey(trx, request.idempotencyKey);
    const earlier = await replayedOrder(trx, key, hash);
    if (earlier) return { order: earlier, replayed: true };
    const { event, events, places } = await claimablePlaces(trx, ctx, request, count);
    const created = await createOrder(trx, ctx, event, places, null, checkBuyer(request), events, claimLost);
    const paid = await takePayment(trx, ctx, created, request.payment, request, events, places.length);
    await rememberKey(trx, key, hash, created.id, nowIso(ctx));
    await recordEvents(trx, ctx, events);
    return { order: paid, replayed: false };
  });
  // Read back after the commit: the write lock is held only for the writes.
  return { ...(await loadOrderView(ctx, order)), idempotencyKey: key, replayed };
}

export interface PayRequest extends BuyerRequest {
  code: string;
  payment: PaymentRequest;
  idempotencyKey?: string;
}

/** Pays a held (pending) order before its hold expires. */
export async function payOrder(ctx: CoreContext, request: PayRequest): Promise<SaleResult> {
  requireRole(ctx.actor, 'sell');
  checkPaymentShape(request.payment);
  checkBuyer(request);
  const key = request.idempotencyKey !== undefined ? validateKey(request.idempotencyKey) : newIdempotencyKey();
  const hash = requestHash({ op: 'pay', code: request.code, payment: request.payment, email: request.email, name: request.name });
  const { order, replayed } = await writeTransaction(ctx.db, async (trx) => {
    await lockIdempotencyKey(trx, request.idempotencyKey);
    const earlier = await replayedOrder(trx, key, hash);
    if (earlier) return { order: earlier, replayed: true };
    const found = await findOrderRow(trx, request.code);
    // PostgreSQL: the event first (KEY SHARE, as a sale takes it), then the order row FOR UPDATE,
    // the lock that expiring, cancelling and refunding it take too. Whatever changed the order
    // before the lock was granted is seen here: a hold expired by another terminal (whose clock
    // may run ahead of ours) is refused, never paid without its seats.
    const event = (await lockRow(trx, 'events', found.event_id, 'key share')) ?? (await trx.selectFrom('events').selectAll().where('id', '=', found.event_id).executeTakeFirstOrThrow());
    const order = (await lockRow(trx, 'orders', found.id)) ?? found;
    const now = nowIso(ctx);
    if (order.status !== 'pending') {
      throw new BoxofficeError('invalid_state', `order ${order.code} is ${order.status.replace('_', ' ')}, not awaiting payment`);
    }
    if (order.expires_at !== null && order.expires_at <= now) {
      throw new BoxofficeError('hold_expired', `the hold on order ${order.code} expired at ${order.expires_at}`, 'hold or sell the seats again');
    }
    assertOnSale(event);
    const events: DomainEvent[] = [];
    const paid = await takePayment(trx, ctx, order, request.payment, request, events);
    await rememberKey(trx, key, hash, order.id, now);
    await recordEvents(trx, ctx, events);
    return { order: paid, replayed: false };
  });
  return { ...(await loadOrderView(ctx, order)), idempotencyKey: key, replayed };
}
