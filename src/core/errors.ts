// Domain errors carry a stable code; one table maps each code to the exit code of SPEC.md, for
// the commands and the TUI alike.
import { DatabaseBusyError } from '../db/errors.js';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  forbidden: 5,
} as const;

const exitCodes = {
  invalid_input: EXIT.usage,
  ambiguous_reference: EXIT.usage,
  order_limit_exceeded: EXIT.usage,
  /** Not possible on this database (PostgreSQL mode while it is being built; `backup` there). */
  unsupported: EXIT.usage,
  not_a_database: EXIT.usage,
  not_found: EXIT.notFound,
  ticket_unknown: EXIT.notFound,
  database_missing: EXIT.notFound,
  seat_unavailable: EXIT.conflict,
  no_adjacent_seats: EXIT.conflict,
  sold_out: EXIT.conflict,
  hold_expired: EXIT.conflict,
  invalid_state: EXIT.conflict,
  idempotency_conflict: EXIT.conflict,
  ticket_used: EXIT.conflict,
  ticket_void: EXIT.conflict,
  ticket_wrong_event: EXIT.conflict,
  already_exists: EXIT.conflict,
  consumer_busy: EXIT.conflict,
  zreport_chain_broken: EXIT.conflict,
  /** A moved clock (BOXOFFICE_NOW) would date a change before what is already recorded. */
  backdated_write: EXIT.conflict,
  /** A write that concurrent writers kept refusing on every attempt (DatabaseBusyError); nothing changed. */
  database_busy: EXIT.conflict,
  database_unreachable: EXIT.unexpected,
  /** The PostgreSQL user may not create or use boxoffice's tables there. */
  database_not_permitted: EXIT.forbidden,
  delivery_failed: EXIT.unexpected,
  print_failed: EXIT.unexpected,
  forbidden: EXIT.forbidden,
  not_authenticated: EXIT.forbidden,
  /** BOXOFFICE_NOW on a live database with staff: only rehearsal or single-user databases honour it. */
  moved_clock_not_permitted: EXIT.forbidden,
  // Stopped by a signal: 128 + its number, as shells report it (InterruptedError, below).
  interrupted: 130,
} as const;

export type ErrorCode = keyof typeof exitCodes;

/** An error the user can act on: a stable code, a one-line message, maybe a hint and details. */
export class BoxofficeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'BoxofficeError';
  }
  get exitCode(): number {
    return exitCodes[this.code];
  }
}

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Stopped by a signal (Ctrl-C, kill, a closed terminal). `saved` tells whether the command's
 * change had already committed (and was reported) when it stopped.
 */
export class InterruptedError extends BoxofficeError {
  constructor(
    readonly signal: string,
    readonly saved: boolean,
    message: string,
  ) {
    super('interrupted', message, undefined, { signal, saved });
  }
  override get exitCode(): number {
    return SIGNAL_EXIT[this.signal] ?? exitCodes.interrupted;
  }
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

export function exitCodeFor(err: unknown): number {
  const answer = domainError(err);
  return answer instanceof BoxofficeError ? answer.exitCode : EXIT.unexpected;
}
