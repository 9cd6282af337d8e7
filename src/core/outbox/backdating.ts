// A moved clock (BOXOFFICE_NOW) may rehearse the future, never rewrite the past: a change it would
// date before what is already recorded is refused. Above all no payment may land in a closed Z
// period, where the drawer never sees it and the Z chain then reads as tampered with.
import type { Queryable } from '../../db/transaction.js';
import { MovedClock, type Clock } from '../clock.js';
import { BoxofficeError } from '../errors.js';

/** Refuses a change dated `time` by a moved clock before the newest record or inside a closed Z period. */
export async function refuseBackdating(trx: Queryable, clock: Clock, time: string): Promise<void> {
  // The real clock is trusted as it is; only a clock someone set is held to the record.
  if (!(clock instanceof MovedClock)) return;
  // Every Z report is closed with a cashup.closed entry at its end, so the newest entry bounds it
  // too; it is checked by itself only to say which report the time falls in.
  const closed = await trx.selectFrom('z_reports').select(['number', 'period_end']).orderBy('period_end', 'desc').limit(1).executeTakeFirst();
  if (closed && time <= closed.period_end) {
    throw backdated(time, closed.period_end, `the period of Z report ${closed.number}, closed at ${closed.period_end}`);
  }
  // The newest entry by sequence: one index lookup, however long the log.
  const newest = await trx.selectFrom('outbox').select(['time', 'type']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (newest && time < newest.time) {
    throw backdated(time, newest.time, `the newest entry of the log (${newest.type} at ${newest.time})`);
  }
}

function backdated(time: string, recorded: string, what: string): BoxofficeError {
  return new BoxofficeError(
    'backdated_write',
    `BOXOFFICE_NOW puts this change at ${time}, before what is already recorded: ${what}`,
    `set BOXOFFICE_NOW later than ${recorded}, or unset it to use the real clock`,
    { at: time, recorded },
  );
}
