// A moved clock (BOXOFFICE_NOW) may rehearse the future, never rewrite the past: a change it would
// date before what is already recorded is refused. Above all no payment may land in a closed Z
// period, where the drawer never sees it and the Z chain then reads as tampered with.
//
// With many writers at once (PostgreSQL) the same holds by a lock per operator's drawer: every
// change an operator makes takes it shared (here, in every write transaction, through
// recordEvents), and closing that operator's Z report takes it exclusive before it reads its end
// time and sums (lockDrawer, src/core/reports/cashup.ts). So a Z report either waits for a change
// under way and then counts it, or the change waits for the Z report, then sees it here and is
// dated again after it. SQLite's single writer already gives the same order; there the lock is
// nothing.
import { sql } from '../../db/kysely.js';
import { lockForTransaction, TransactionConflict, type Trx } from '../../db/transaction.js';
import { foldKey } from '../../db/fold.js';
import { dialectOf } from '../../db/dialect.js';
import { MovedClock, type Clock } from '../clock.js';
import { BoxofficeError } from '../errors.js';

/** The lock of one operator's drawer: their payments and the closing of their Z reports. */
function drawerLock(operator: string): string {
  return `boxoffice:drawer:${foldKey(operator)}`;
}

/**
 * Closing a Z report (or setting a float or count): every other cash-up write waits, then this
 * operator's changes under way finish and new ones wait until this transaction ends. Take it before
 * reading anything the report is made of. One cash-up write at a time (the chain lock, first) keeps
 * the Z numbers and hashes a chain and two cash-up writes from waiting on each other's drawers.
 */
export async function lockDrawer(trx: Trx, operator: string): Promise<void> {
  await lockForTransaction(trx, 'boxoffice:zchain', 'exclusive');
  await lockForTransaction(trx, drawerLock(operator), 'exclusive');
}

/** What a change is about to record, as far as the closed periods care. */
export interface DatedChange {
  /** The time its events carry. */
  time: string;
  operator: string;
  /** Payments (and refunds) it made, by id: they are dated on their own, maybe before `time`. */
  paymentIds: number[];
}

/**
 * Refuses a change by `operator` dated inside their closed Z period, whatever the clock, and one
 * dated by a moved clock before the newest record. A change that was dated before a Z report
 * closed while it ran, by a clock that has now passed it, runs again with a fresh time instead.
 */
export async function refuseBackdating(trx: Trx, clock: Clock, change: DatedChange): Promise<void> {
  const { time, operator } = change;
  const moved = clock instanceof MovedClock;
  // Shared: changes go on side by side; only the closing of this operator's Z report waits for
  // them (and they for it). The read below comes after it, so it sees a Z report that closed while
  // this change waited.
  await lockForTransaction(trx, drawerLock(operator), 'shared');
  // Whatever the clock: a clock moved forward earlier (single-user, rehearsal) or a computer's
  // clock set back must not date a change into the operator's closed period (a Z report covers one
  // operator's drawer), or the Z chain reads as tampered with. The payments are dated when they
  // are made, before the events: the earliest of them is what must come after the period.
  let q = trx.selectFrom('z_reports').select(['number', 'period_end']).where('operator_name', '=', operator).orderBy('period_end', 'desc').limit(1);
  if (change.paymentIds.length) {
    q = q.select((eb) =>
      eb
        .selectFrom('payments')
        .select((p) => p.fn.min('created_at').as('t'))
        .where('id', 'in', change.paymentIds)
        .as('earliest_payment'),
    );
  }
  const closed = (await q.executeTakeFirst()) as { number: number; period_end: string; earliest_payment?: string | null } | undefined;
  const earliest = closed?.earliest_payment && closed.earliest_payment < time ? closed.earliest_payment : time;
  if (closed && earliest <= closed.period_end) {
    const what = `the period of Z report ${closed.number}, closed at ${closed.period_end}`;
    const refusal = moved
      ? backdated(earliest, closed.period_end, what)
      : new BoxofficeError('backdated_write', `this computer's clock puts this change at ${earliest}, inside ${what}`, "check the computer's date and time (a closed Z period takes no more changes)", {
          at: earliest,
          recorded: closed.period_end,
        });
    // The Z report closed while this change was under way (its clock has passed the period's end
    // since): the change is dated again, after it. A clock still behind the period is refused.
    if (clock.now().toISOString() > closed.period_end) throw new TransactionConflict(refusal);
    throw refusal;
  }
  // The real clock is otherwise trusted as it is (terminals' clocks differ by seconds); only a
  // clock someone set is held to the newest record.
  if (!moved) return;
  const newest = await newestEntry(trx);
  if (newest && time < newest.time) {
    throw backdated(time, newest.time, `the newest entry of the log (${newest.type} at ${newest.time})`);
  }
}

/**
 * The newest entry of the log by time, in one or two index lookups on seq however long the log.
 * On SQLite seq is given at insert, in commit order. On PostgreSQL the feed numbers entries after
 * they commit (seq stays empty until then, docs/postgres.md "The feed"), so the newest numbered
 * one and those not numbered yet are the candidates. (SQLite's rowid seq is never empty, and it
 * would scan the whole log to find that out.)
 */
async function newestEntry(trx: Trx): Promise<{ time: string; type: string } | undefined> {
  if (dialectOf(trx).name === 'sqlite') return trx.selectFrom('outbox').select(['time', 'type']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const { rows } = await sql<{ time: string; type: string }>`
    select time, type from (
      select time, type from outbox where seq is null
      union all
      select * from (select time, type from outbox where seq is not null order by seq desc limit 1) as numbered
    ) as candidates order by time desc limit 1`.execute(trx);
  return rows[0];
}

function backdated(time: string, recorded: string, what: string): BoxofficeError {
  return new BoxofficeError(
    'backdated_write',
    `BOXOFFICE_NOW puts this change at ${time}, before what is already recorded: ${what}`,
    `set BOXOFFICE_NOW later than ${recorded}, or unset it to use the real clock`,
    { at: time, recorded },
  );
}
