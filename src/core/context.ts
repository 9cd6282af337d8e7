import type { DB } from '../db/connection.js';
import type { Clock } from './clock.js';
import type { Actor } from './staff/permissions.js';

/** What every core operation needs: the database, the time, and who is acting. */
export interface CoreContext {
  db: DB;
  clock: Clock;
  actor: Actor;
  /** Where a sale was made: 'cli', 'tui', 'import'… */
  channel?: string;
  /** Minutes a hold lasts when the caller gives none (config); SPEC's default is 15. */
  holdMinutes?: number;
  /** The per-order ticket limit for new events (config). */
  defaultOrderLimit?: number;
}

export function nowIso(ctx: { clock: Clock }): string {
  return ctx.clock.now().toISOString();
}
