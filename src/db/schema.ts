// Table types for Kysely. Columns mirror the migrations in ./migrations; money is integer
// minor units, times are ISO 8601 UTC strings, booleans are 0/1.
import type { Generated, Selectable } from 'kysely';
import type { PaymentMethod } from '../core/orders/payment.js';

type Id = Generated<number>;

export interface VenueTable {
  id: Id;
  name: string;
  /** foldKey(name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  name_key: string;
  city: string;
  timezone: string;
  created_at: string;
  /** The organiser's own id for it, set by imports (0003-data). */
  external_id: string | null;
}

export interface SectionTable {
  id: Id;
  venue_id: number;
  name: string;
  /** foldKey(name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  name_key: string;
  kind: 'reserved' | 'ga';
  /** GA sections only. */
  capacity: number | null;
  /** Default price zone for the section's seats (and the zone of a GA section). */
  zone: string | null;
  position: number;
}

export interface SeatTable {
  id: Id;
  section_id: number;
  row_label: string;
  /** foldKey(row_label) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  row_label_key: string;
  /** 0 is the front row of its section. */
  row_rank: number;
  number: number;
  x: number | null;
  y: number | null;
  zone: string | null;
  accessible: number;
  obstructed: number;
}

export interface EventTable {
  id: Id;
  venue_id: number;
  name: string;
  /** foldKey(name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  name_key: string;
  type: string | null;
  starts_at: string;
  ends_at: string | null;
  status: 'draft' | 'on_sale' | 'cancelled' | 'completed';
  currency: string;
  order_limit: number;
  created_at: string;
  /** The organiser's own id for it, set by imports (0003-data). */
  external_id: string | null;
}

export interface TierTable {
  id: Id;
  event_id: number;
  name: string;
  /** foldKey(name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  name_key: string;
  position: number;
}

export interface TierPriceTable {
  id: Id;
  tier_id: number;
  /** '' is the price for any zone without its own. */
  zone: string;
  /** foldKey(zone) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  zone_key: string;
  price: number;
}

/** One row per seat that is not free: held, sold or blocked. The primary key is what makes a double sale impossible. */
export interface SeatClaimTable {
  event_id: number;
  seat_id: number;
  status: 'held' | 'sold' | 'blocked';
  ticket_id: number | null;
  /** Set on held claims: after this instant the seat is free again. */
  expires_at: string | null;
  reason: string | null;
}

export interface OrderTable {
  id: Id;
  code: string;
  event_id: number;
  status: 'pending' | 'paid' | 'cancelled' | 'expired' | 'refunded' | 'partially_refunded';
  total: number;
  currency: string;
  customer_id: number | null;
  /** The name on the tickets, when the buyer gave one. */
  holder_name: string | null;
  /** The email the buyer gave with a hold; the customer is made or matched from it when paid. */
  buyer_email: string | null;
  operator_id: number | null;
  operator_name: string;
  channel: string;
  created_at: string;
  expires_at: string | null;
  paid_at: string | null;
  closed_at: string | null;
}

export interface TicketTable {
  id: Id;
  order_id: number;
  event_id: number;
  section_id: number;
  seat_id: number | null;
  tier_id: number;
  price: number;
  /** Assigned when the ticket is issued (the order is paid); null while held. */
  code: string | null;
  status: 'held' | 'valid' | 'used' | 'void';
  issued_at: string | null;
  voided_at: string | null;
  /** The ticket this one replaced (a reissue). */
  replaces_id: number | null;
}

export interface PaymentTable {
  id: Id;
  order_id: number;
  kind: 'payment' | 'refund';
  /** The migrations' check constraint lists the same methods. */
  method: PaymentMethod;
  amount: number;
  currency: string;
  tendered: number | null;
  change_given: number | null;
  reference: string | null;
  reason: string | null;
  operator_id: number | null;
  operator_name: string;
  created_at: string;
}

export interface IdempotencyKeyTable {
  key: string;
  request_hash: string;
  order_id: number;
  created_at: string;
}

export interface CheckinTable {
  id: Id;
  ticket_id: number;
  event_id: number;
  gate: string | null;
  operator_name: string;
  scanned_at: string;
}

export interface CustomerTable {
  id: Id;
  email: string;
  /** foldKey(email) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  email_key: string;
  name: string | null;
  phone: string | null;
  created_at: string;
}

export interface LeadTable {
  id: Id;
  email: string;
  /** foldKey(email) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  email_key: string;
  name: string | null;
  source: string | null;
  event_id: number | null;
  consent: number;
  created_at: string;
  converted_order_id: number | null;
  converted_at: string | null;
  /** The organiser's own id for it, set by imports (0003-data). */
  external_id: string | null;
}

export interface StaffTable {
  id: Id;
  name: string;
  /** foldKey(name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  name_key: string;
  role: 'admin' | 'manager' | 'clerk' | 'door';
  pin_hash: string;
  disabled: number;
  created_at: string;
  /** Wrong PINs in a row since the last good one (0007-pin-backoff). */
  pin_failures: Generated<number>;
  /** When the last of them was tried (real time), for the back-off. */
  pin_failed_at: string | null;
}

/** A PIN check under way (0007-pin-backoff); rows of killed processes go stale after a minute. */
export interface PinCheckTable {
  id: string;
  staff_id: number;
  started_at: string;
}

export interface SessionTable {
  token_hash: string;
  staff_id: number;
  created_at: string;
  expires_at: string;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  subject: string;
  time: string;
  operator: string;
  data: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** A named reader of the event feed and how far it has been delivered (0003-data). */
export interface SyncConsumerTable {
  name: string;
  position: number;
  delivered: number;
  created_at: string;
  updated_at: string;
  /** The exporter delivering to this consumer now, and until when its claim holds (0006). */
  lease_owner: string | null;
  lease_until: string | null;
}

/** A closed cash-up period: final, numbered, hash-chained to the one before (0003-data). */
export interface ZReportTable {
  number: number;
  operator_name: string;
  /** foldKey(operator_name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  operator_name_key: string;
  period_start: string | null;
  period_end: string;
  closed_by: string;
  body: string;
  prev_hash: string;
  hash: string;
}

/** A drawer's opening float and counted cash for an operator's open period, per currency (0003-data). */
export interface CashCountTable {
  id: Id;
  operator_name: string;
  /** foldKey(operator_name) (fold.ts), written with it: the one case-insensitive identity (0008-name-keys). */
  operator_name_key: string;
  currency: string;
  float: number;
  counted: number | null;
  float_at: string | null;
  counted_at: string | null;
  recorded_by: string;
  z_number: number | null;
}

/** The email queue: every mail is stored here first, then sent (and retried) from here. */
export interface MailQueueTable {
  id: Id;
  message_id: string;
  order_id: number | null;
  kind: string;
  lang: string;
  to_address: string;
  from_address: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachment_name: string | null;
  attachment_type: string | null;
  attachment: Buffer | null;
  status: 'queued' | 'sending' | 'sent';
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  claim_token: string | null;
  claimed_at: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface Database {
  venues: VenueTable;
  sections: SectionTable;
  seats: SeatTable;
  events: EventTable;
  tiers: TierTable;
  tier_prices: TierPriceTable;
  seat_claims: SeatClaimTable;
  orders: OrderTable;
  tickets: TicketTable;
  payments: PaymentTable;
  idempotency_keys: IdempotencyKeyTable;
  checkins: CheckinTable;
  customers: CustomerTable;
  leads: LeadTable;
  staff: StaffTable;
  sessions: SessionTable;
  pin_checks: PinCheckTable;
  outbox: OutboxTable;
  meta: MetaTable;
  sync_consumers: SyncConsumerTable;
  z_reports: ZReportTable;
  cash_counts: CashCountTable;
  mail_queue: MailQueueTable;
}

export type Venue = Selectable<VenueTable>;
export type Section = Selectable<SectionTable>;
export type Seat = Selectable<SeatTable>;
export type EventRow = Selectable<EventTable>;
export type Tier = Selectable<TierTable>;
export type Order = Selectable<OrderTable>;
export type Ticket = Selectable<TicketTable>;
export type Payment = Selectable<PaymentTable>;
export type Customer = Selectable<CustomerTable>;
export type Lead = Selectable<LeadTable>;
export type Staff = Selectable<StaffTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type MailRow = Selectable<MailQueueTable>;
