// Domain errors carry a stable code and, where a front words them in its own terms, a reason
// with the facts it needs (a tier's names, an order's code). The core words a refusal in the
// domain's terms only: no command-line flag or command, no exit code. The command line maps codes
// to SPEC.md's exit codes and adds its flags and commands (src/cli/runtime/refusals.ts); the TUI
// says the same codes in its screens' terms (src/ui/wording.ts).
import { DatabaseBusyError } from '../db/errors.js';

const ERROR_CODES = [
  'invalid_input',
  'ambiguous_reference',
  'order_limit_exceeded',
  /** Not possible on this database (`backup` of a PostgreSQL database). */
  'unsupported',
  'not_a_database',
  'not_found',
  'ticket_unknown',
  'database_missing',
  'seat_unavailable',
  'no_adjacent_seats',
  'sold_out',
  'hold_expired',
  'invalid_state',
  'idempotency_conflict',
  'ticket_used',
  'ticket_void',
  'ticket_wrong_event',
  'already_exists',
  'consumer_busy',
  'zreport_chain_broken',
  /** A moved clock (BOXOFFICE_NOW) would date a change before what is already recorded. */
  'backdated_write',
  /** A write that concurrent writers kept refusing on every attempt (DatabaseBusyError); nothing changed. */
  'database_busy',
  'database_unreachable',
  /** The PostgreSQL user may not create or use boxoffice's tables there. */
  'database_not_permitted',
  'delivery_failed',
  'print_failed',
  'forbidden',
  'not_authenticated',
  /** BOXOFFICE_NOW on a live database with staff: only rehearsal or single-user databases honour it. */
  'moved_clock_not_permitted',
  /** Stopped by a signal (src/cli/runtime/stop.ts). */
  'interrupted',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The refusals a front words in its own terms, by reason, with the facts each needs. A reason is
 * added here where the words differ between fronts (a flag to type, a key to press, a command to
 * run); a refusal whose domain message says it all needs none.
 */
export interface Refusals {
  /** A card payment without the card terminal's reference. */
  card_ref_missing: Record<string, never>;
  /** An amount tendered with a payment that is not cash. */
  tendered_not_cash: Record<string, never>;
  /** The event has several tiers, and the request named none. */
  tier_not_chosen: { tiers: string[] };
  /** A tier with no price for these seats (`zone` null: for any seat). */
  tier_has_no_price: { eventId: number; tier: string; zone: string | null };
  /** Seats asked for are sold, held or blocked (each as `A-1 is sold`). */
  seats_taken: { seats: string[] };
  /** No block of `count` adjacent seats is free where they were asked for. */
  no_adjacent_block: { count: number };
  /** Tickets to email, and the order has no address. */
  order_has_no_email: { order: string };
  /** Printing, and no printer is set. */
  no_printer: Record<string, never>;
  /** At the door: a ticket for another event (`event`: its name; `scanned`: the event scanned for, told apart from it). */
  ticket_for_other_event: { ticket: string; event: string; scanned: string };
  /** An external payment without the other channel's reference. */
  external_ref_missing: Record<string, never>;
  /** A request for places that names none, or several, of: seats, the best N, N standing places. */
  selection_not_one: Record<string, never>;
  /** A count of places below 1 (`best` or `quantity`). */
  count_too_small: { what: 'best' | 'quantity' };
  /** A hold asked to last outside 1 to 1440 minutes. */
  hold_minutes_out_of_range: Record<string, never>;
  /** Best available asked of a general-admission section. */
  section_is_standing: { section: string };
  /** Best available at an event with no reserved seating. */
  no_reserved_seating: Record<string, never>;
  /** Standing places asked of a section with reserved seats. */
  section_is_reserved: { section: string };
  /** Standing places at an event with no general-admission section. */
  no_standing_section: Record<string, never>;
  /** Standing places, no section named, and the event has several (`sections`: their names). */
  standing_section_not_chosen: { sections: string[] };
  /** A seat the venue does not have. */
  seat_not_at_venue: { seat: string };
  /** Seats taken at another terminal while they were being blocked. */
  seats_taken_meanwhile: { event: number };
  /** Several tiers named, some without a count. */
  tier_counts_missing: Record<string, never>;
  /** One tier named twice. */
  tier_named_twice: Record<string, never>;
  /** A tier the event does not have, and it has no tiers at all. */
  event_has_no_tiers: { eventId: number };
  /** Selling for an event still in draft. */
  event_not_published: { eventId: number };
  /** Cancelling a paid order: it is refunded instead (`manager`: whether the actor may refund it). */
  paid_order_is_refunded: { order: string; manager: boolean };
  /** A refund of some tickets and an amount at once. */
  refund_tickets_and_amount: Record<string, never>;
  /** A whole-order refund of an order with a ticket already used at the door. */
  ticket_used_refund_others: { ticket: string };
  /** No order with that code. */
  order_unknown: { code: string };
  /** Every order listed, by someone who may only find one. */
  orders_list_forbidden: Record<string, never>;
  /** At the door: a ticket for another event (`event`: its name). */
  // Outside the sale path: venues, events, staff, customers, mail, data, sync, reports, files.
  /** A value given for `field` (starts, ends, from, to, float, counted…) cannot be read; the message is `${field} ${problem}`. */
  value_invalid: { field: string; problem: string };
  /** Only managers and admins look a customer up by id; others go by email. */
  customer_by_id: Record<string, never>;
  /** The mail `id` is not in the queue. */
  mail_not_queued: { id: number };
  /** A moved clock on a live database: a copy marked as a rehearsal may move it. */
  moved_clock_live: Record<string, never>;
  /** A price for a zone the event's seats do not have (`zones`: the ones they have). */
  zone_unknown: { zones: string[] };
  /** Publishing an event whose venue has no seat map. */
  venue_has_no_seat_map: { venue: string };
  /** Publishing an event with no prices. */
  event_has_no_prices: { eventId: number };
  /** Logging in where no staff are defined (single-user). */
  no_staff: Record<string, never>;
  /** A staff member locked after too many wrong PINs. */
  staff_locked: { name: string };
  /** The first staff member added must be an admin. */
  first_staff_not_admin: Record<string, never>;
  /** An import refused for its rows (listed in the message); nothing was written. */
  import_rows_invalid: Record<string, never>;
  /** A venue given to an import of anything but a seat map. */
  import_venue_not_seatmap: Record<string, never>;
  /** An export format that is neither csv nor json. */
  export_format_unknown: { format: string };
  /** An event given to an export of customers. */
  export_customers_per_event: Record<string, never>;
  /** A sync export given both a consumer and a sequence number to start after. */
  sync_consumer_and_since: Record<string, never>;
  /** A sync export's starting sequence number that is not one. */
  sync_since_invalid: Record<string, never>;
  /** No sync consumer of that name (one is created by its first export). */
  sync_consumer_unknown: { consumer: string };
  /** A cash-up for an operator who is no staff member. */
  operator_unknown: { name: string };
  /** An operator's drawers hold several currencies and the request named none. */
  drawer_currency_not_chosen: { operator: string; currencies: string[] };
  /** A drawer counted by another terminal at the same moment. */
  drawer_counted_elsewhere: Record<string, never>;
  /** Closing drawers not counted yet. */
  drawer_not_counted: { operator: string; currencies: string[] };
  /** No Z report of that number. */
  zreport_unknown: { number: number };
  /** A file to write is the database itself (or one of its files). */
  output_is_database: { file: string };
  /** A file to write exists, and replacing it was not asked for. */
  output_exists: { file: string };
  /** No venue, event or staff member by that id or name. */
  reference_unknown: { kind: 'venue' | 'event' | 'staff' };
  /** An import names a venue for the whole file that is not there (or is ambiguous). */
  import_venue_unresolved: Record<string, never>;
  /** A seat-map import's rows name no venue, and none was named for the whole file (`message`: the core's words for it, in the refusal and its details). */
  seatmap_venue_not_named: { message: string };
  /** Tickets of an order that is not paid yet (they are issued when it is). */
  order_not_paid: { order: string };
}

export type Reason = keyof Refusals;

/** An error the user can act on: a stable code, a one-line message, maybe a hint and details. */
export class BoxofficeError extends Error {
  /** Why, for the fronts to word: set with `because`. */
  reason?: Reason;
  facts?: Refusals[Reason];

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BoxofficeError';
  }

  /** This refusal with its reason and the facts a front words it with. */
  because<R extends Reason>(reason: R, facts: Refusals[R]): this {
    this.reason = reason;
    this.facts = facts;
    return this;
  }
}

/** The facts of `err` when it was refused for `reason`. */
export function factsOf<R extends Reason>(err: BoxofficeError, reason: R): Refusals[R] | undefined {
  return err.reason === reason ? (err.facts as Refusals[R]) : undefined;
}

export const invalid = (message: string, hint?: string, details?: Record<string, unknown>) => new BoxofficeError('invalid_input', message, hint, details);
export const notFound = (message: string, hint?: string) => new BoxofficeError('not_found', message, hint);
export const conflict = (message: string, hint?: string, details?: Record<string, unknown>) => new BoxofficeError('invalid_state', message, hint, details);

/**
 * `err` as the fronts answer it: a failure of the database layer that is the user's answer (the
 * retries of a write ran out: src/db/transaction.ts) as its domain error; anything else as it is.
 */
export function domainError(err: unknown): unknown {
  if (err instanceof DatabaseBusyError) {
    return new BoxofficeError('database_busy', err.message, 'try again in a moment; if it keeps happening, many terminals are changing the same thing at once', { attempts: err.attempts });
  }
  return err;
}
