// The exit codes of SPEC.md, and the one table that maps each error code to its exit code.
import { BoxofficeError, domainError, type ErrorCode } from '../../core/errors.js';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  forbidden: 5,
} as const;

const EXIT_CODES: Record<ErrorCode, number> = {
  invalid_input: EXIT.usage,
  ambiguous_reference: EXIT.usage,
  order_limit_exceeded: EXIT.usage,
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
  backdated_write: EXIT.conflict,
  database_busy: EXIT.conflict,
  database_unreachable: EXIT.unexpected,
  database_not_permitted: EXIT.forbidden,
  delivery_failed: EXIT.unexpected,
  print_failed: EXIT.unexpected,
  forbidden: EXIT.forbidden,
  not_authenticated: EXIT.forbidden,
  moved_clock_not_permitted: EXIT.forbidden,
  // Stopped by a signal: 128 + its number, as shells report it (below).
  interrupted: 130,
};

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The exit code the process ends with after `err`: SPEC.md's, by the error's code. */
export function exitCodeFor(err: unknown): number {
  const answer = domainError(err);
  if (!(answer instanceof BoxofficeError)) return EXIT.unexpected;
  if (answer.code === 'interrupted') return SIGNAL_EXIT[String(answer.details?.signal)] ?? EXIT_CODES.interrupted;
  return EXIT_CODES[answer.code];
}
