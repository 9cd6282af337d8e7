// A moved clock (BOXOFFICE_NOW) may rehearse the future, never rewrite the past: a change it would
// date before what is already recorded is refused. Above all no payment may land in a closed Z
// period, where the drawer never sees it and the Z chain then reads as tampered with.
import type { Queryable } from '../../db/transaction.js';
import { MovedClock, type Clock } from '../clock.js';
import { BoxofficeError } from '../errors.js';

/**
 * Refuses a change by `operator` dated `time` inside their closed Z period, whatever the clock,
 * and one dated by a moved clock before the newest record.
 */
export async function refuseBackdating(trx: Queryable, clock: Clock, time: string, operator: string): Promise<void> {
  const moved = clock instanceof MovedClock;
  // Whatever the clock: a clock moved forward earlier (single-user, rehearsal) or a computer's
  // clock set back must not date a change into the operator's closed period (a Z report covers one
  // operator's drawer), or the Z chain reads as tampered with.
  const closed = await trx
    .selectFrom('z_reports')
    .select(['number', 'period_end'])
    .where('operator_name', '=', operator)
    .orderBy('period_end', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (closed && time <= closed.period_end) {
    const what = `the period of Z report ${closed.number}, closed at ${closed.period_end}`;
    if (moved) throw backdated(time, closed.period_end, what);
    throw new BoxofficeError(
      'backdated_write',
      `this computer's clock puts this change at ${time}, inside ${what}`,
      "check the computer's date and time (a closed Z period takes no more changes)",
      { at: time, recorded: closed.period_end },
    );
  }
  // The real clock is otherwise trusted as it is (terminals' clocks differ by seconds); only a
  // clock someone set is held to the newest record.
  if (!moved) return;
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
