// What the screens may ask of the core: one small object over the same core calls the commands
// make, bound to the operator who logged in. Screens never see the database; tests hand them a
// real core on a temporary file.
import type { CoreContext } from '../core/context.js';
import { nowIso } from '../core/context.js';
import type { Actor } from '../core/staff/permissions.js';
import { authenticate } from '../core/staff/staff.js';
import { findEvent, listEvents } from '../core/events/events.js';
import { listTiers, type TierView } from '../core/events/tiers.js';
import { availabilityCounts, type AvailabilityCounts } from '../core/inventory/counts.js';
import { holdSeats, payOrder, type SaleResult } from '../core/orders/sale.js';
import { cancelOrder } from '../core/orders/lifecycle.js';
import { changeHeldTiers, type TierChange } from '../core/orders/retier.js';
import { newIdempotencyKey } from '../core/orders/idempotency.js';
import type { BuyerRequest, PaymentRequest } from '../core/orders/payment.js';
import type { OrderView } from '../core/orders/view.js';
import type { SeatSelection } from '../core/orders/selection.js';
import type { TierCount } from '../core/orders/tier-split.js';
import { checkIn, type Admission } from '../core/tickets/checkin.js';
import { admissionsByGate, type GateCount } from '../core/tickets/door-counts.js';
import { formatInZone } from '../core/time.js';
import { seatMap, seatMapVersion, type SeatMapData } from '../app/seats.js';

export interface EventSummary {
  id: number;
  name: string;
  venue: string;
  timezone: string;
  /** ISO 8601 with the venue's offset. */
  startsAt: string;
  currency: string;
  orderLimit: number;
  counts: AvailabilityCounts;
}

export type { SeatMapData };

export interface HoldSelection extends SeatSelection {
  tier?: TierCount[];
}

/** After-sale actions on an order's tickets, each answering with what it did; absent ones show disabled. */
export interface TicketActions {
  print?(orderCode: string): Promise<string>;
  email?(orderCode: string): Promise<string>;
  savePdf?(orderCode: string): Promise<string>;
  /** Sends queued mail that is due; the open TUI calls it now and then. Returns how many went. */
  retryDueMail?(): Promise<number>;
}

export interface Services {
  readonly actor: Actor;
  now(): Date;
  /** Today's and later events on sale, soonest first, with their counts. */
  listEvents(): Promise<EventSummary[]>;
  seatMap(eventId: number): Promise<SeatMapData>;
  /** Changes whenever the event's availability may have changed (cheap: poll it). */
  version(eventId: number): Promise<string>;
  tiers(eventId: number): Promise<TierView[]>;
  hold(eventId: number, selection: HoldSelection): Promise<OrderView>;
  changeTiers(orderCode: string, changes: TierChange[]): Promise<OrderView>;
  release(orderCode: string): Promise<void>;
  pay(orderCode: string, payment: PaymentRequest, buyer: BuyerRequest, idempotencyKey: string): Promise<SaleResult>;
  newPaymentKey(): string;
  checkIn(code: string, eventId: number, gate: string | undefined): Promise<Admission>;
  admissions(eventId: number): Promise<{ total: number; gates: GateCount[] }>;
  tickets: TicketActions;
}

export interface AuthServices {
  /** Checks a name and PIN against the staff table; the same refusal for either being wrong. */
  login(name: string, pin: string): Promise<Actor>;
}

/** The core context without its operator: the TUI adds whoever logs in. */
export type BaseContext = Omit<CoreContext, 'actor'>;

export function createAuth(base: BaseContext): AuthServices {
  return { login: (name, pin) => authenticate(base.db, name, pin) };
}

export function createServices(base: BaseContext, actor: Actor, tickets: TicketActions = {}): Services {
  const ctx: CoreContext = { ...base, actor, channel: base.channel ?? 'tui' };
  const db = ctx.db;
  const now = () => ctx.clock.now();
  return {
    actor,
    now,
    async listEvents() {
      const at = nowIso(ctx);
      const events = await listEvents(ctx, { status: 'on_sale' });
      const upcoming = events.filter((e) => e.startsAt.slice(0, 10) >= formatInZone(at, e.venue.timezone).slice(0, 10));
      return Promise.all(
        upcoming.map(async (e) => ({
          id: e.id,
          name: e.name,
          venue: e.venue.name,
          timezone: e.venue.timezone,
          startsAt: e.startsAt,
          currency: e.currency,
          orderLimit: e.orderLimit,
          counts: await availabilityCounts(db, { id: e.id, venue_id: e.venue.id }, at),
        })),
      );
    },
    seatMap: (eventId) => seatMap(ctx, eventId),
    version: (eventId) => seatMapVersion(ctx, eventId),
    async tiers(eventId) {
      const { event } = await findEvent(db, String(eventId));
      return listTiers(db, event);
    },
    hold: (eventId, selection) => holdSeats(ctx, { event: String(eventId), ...selection }),
    changeTiers: (orderCode, changes) => changeHeldTiers(ctx, orderCode, changes),
    async release(orderCode) {
      await cancelOrder(ctx, orderCode, 'released at the box office');
    },
    pay: (orderCode, payment, buyer, idempotencyKey) => payOrder(ctx, { code: orderCode, payment, ...buyer, idempotencyKey }),
    newPaymentKey: () => `tui-${newIdempotencyKey()}`,
    checkIn: (code, eventId, gate) => checkIn(ctx, { code, event: String(eventId), gate }),
    admissions: (eventId) => admissionsByGate(db, eventId),
    tickets,
  };
}
