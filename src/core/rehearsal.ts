// Whose clock the box office runs on. BOXOFFICE_NOW moves it (rehearsals, tests of hold expiry),
// but a moved clock lets anyone expire another's holds, sell into a closed cash-up period and date
// the audit trail at will. So it is honoured only where that harms no one's books: while no staff
// are defined (one person, who may do everything anyway), or on a database an admin has marked,
// for good, as a rehearsal database. Login sessions never use it (src/core/staff/sessions.ts).
import type { DB } from '../db/connection.js';
import type { Queryable } from '../db/transaction.js';
import { writeTransaction } from '../db/transaction.js';
import { dialectOf } from '../db/dialect.js';
import { DatabaseClock, MovedClock, systemClock, type Clock } from './clock.js';
import { nowIso, type CoreContext } from './context.js';
import { BoxofficeError, invalid } from './errors.js';
import { renewFeedSource } from './sync/feed.js';
import { recordEvents } from './outbox/outbox.js';
import { requireRole } from './staff/permissions.js';
import { hasStaff } from './staff/staff.js';

const REHEARSAL_KEY = 'rehearsal';

export interface RehearsalMark {
  /** When the database was marked, and by whom. */
  since: string;
  by: string;
}

/** The rehearsal mark, or null on a live database. */
export async function rehearsalMark(db: Queryable): Promise<RehearsalMark | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', REHEARSAL_KEY).executeTakeFirst();
  return row ? (JSON.parse(row.value) as RehearsalMark) : null;
}

/**
 * Marks the database as a rehearsal database (admin). There is no unmarking: its records may now
 * carry moved times, so it can never again be the live box office's books.
 */
export async function markRehearsal(ctx: CoreContext): Promise<{ mark: RehearsalMark; marked: boolean }> {
  requireRole(ctx.actor, 'mark_rehearsal');
  return writeTransaction(ctx.db, async (trx) => {
    const existing = await rehearsalMark(trx);
    if (existing) return { mark: existing, marked: false };
    const mark: RehearsalMark = { since: nowIso(ctx), by: ctx.actor.name };
    // Correct with many processes by a constraint: meta's primary key holds one mark. Of two
    // processes marking at once (both read no mark above), the second inserts nothing and
    // reads the first's mark, which it must not renew the feed for.
    const inserted = await trx
      .insertInto('meta')
      .values({ key: REHEARSAL_KEY, value: JSON.stringify(mark) })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { mark: (await rehearsalMark(trx))!, marked: false };
    // A rehearsal is usually a copy of the live database: from now on it is another database, with
    // its own URN on the feed, no login sessions of the original and no feed consumers' cursors.
    const source = await renewFeedSource(trx);
    await trx.deleteFrom('sessions').execute();
    await trx.deleteFrom('sync_consumers').execute();
    await recordEvents(trx, ctx, [{ type: 'database.marked_rehearsal', subject: 'database', data: { since: mark.since, source } }]);
    return { mark, marked: true };
  });
}

/** An ISO instant for BOXOFFICE_NOW, or a usage error. */
function movedStart(value: string): Date {
  const start = new Date(value);
  if (Number.isNaN(start.getTime())) throw invalid(`BOXOFFICE_NOW is not a time: ${JSON.stringify(value)}`, 'give an ISO instant, e.g. BOXOFFICE_NOW=2027-03-01T19:30:00Z');
  return start;
}

/**
 * The database's clock (SPEC "Storage"): on PostgreSQL the server's, as measured from here, so that
 * every terminal dates and expires by one clock whatever its own says; on SQLite this computer's.
 */
async function databaseClock(db: DB): Promise<Clock> {
  const dialect = dialectOf(db);
  const offset = await dialect.serverClockOffset(db);
  return offset === null ? systemClock : new DatabaseClock(offset, () => dialect.serverClockOffset(db));
}

/**
 * The clock for this database: the database's own, or that clock moved by `requested`
 * (BOXOFFICE_NOW) where a moved clock is honoured. Anywhere else the request is refused, never
 * silently ignored.
 */
export async function boxOfficeClock(db: DB, requested: string | undefined): Promise<Clock> {
  const base = await databaseClock(db);
  if (!requested) return base;
  const start = movedStart(requested);
  if (!(await hasStaff(db)) || (await rehearsalMark(db))) return new MovedClock(start, base);
  throw new BoxofficeError(
    'moved_clock_not_permitted',
    `BOXOFFICE_NOW is set (${requested}), but this is a live database with staff: the clock can be moved only on a rehearsal database or while no staff are defined`,
    'unset BOXOFFICE_NOW; to rehearse, copy the database and mark the copy as a rehearsal',
  ).because('moved_clock_live', {});
}
