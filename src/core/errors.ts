// Domain errors carry a stable code and, where a front words them in its own terms, a reason
// with the facts it needs (a tier's names, an order's code). The core words a refusal in the
// domain's terms only: no command-line flag or command, no exit code. The command line maps codes
// to SPEC.md's exit codes and adds its flags and commands (src/cli/runtime/refusals.ts); the TUI
// says the same codes in its screens' terms (src/ui/wording.ts).
import { DatabaseBusyError } from '../db/errors.js';

export const ERROR_CODES = [
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
  /** At the door: a ticket for another event (`event`: its name). */
  ticket_for_other_event: { ticket: string; event: string };
  /** An import names a venue for the whole file that is not there (or is ambiguous). */
  import_venue_unresolved: Record<string, never>;
  /** A seat-map import's rows name no venue, and none was named for the whole file (`message`: the core's words for it, in the refusal and its details). */
  seatmap_venue_not_named: { message: string };
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

export const invalid = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new BoxofficeError('invalid_input', message, hint, details);
export const notFound = (message: string, hint?: string) => new BoxofficeError('not_found', message, hint);
export const conflict = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new BoxofficeError('invalid_state', message, hint, details);

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
