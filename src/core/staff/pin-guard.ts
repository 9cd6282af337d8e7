// Wrong PINs, counted per staff member in the database so every process sees the same count: a
// few are free, then each further attempt waits a growing delay, and a run of them locks the
// member until a manager unlocks them. This is what makes guessing a 4-digit PIN impractical.
//
// Time here is the computer's own clock, never BOXOFFICE_NOW: a moved clock must not wait the
// back-off out.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/connection.js';
import type { Staff } from '../../db/schema.js';
import { writeTransaction, type Trx } from '../../db/transaction.js';
import { dialectOf } from '../../db/dialect.js';
import { systemClock } from '../clock.js';
import { BoxofficeError } from '../errors.js';
import { recordEvents } from '../outbox/outbox.js';
import { NOBODY } from './permissions.js';

/** Wrong PINs in a row before the back-off starts. */
export const FREE_ATTEMPTS = 3;
/** Wrong PINs in a row that lock the member until a manager unlocks them. */
export const LOCK_AFTER = 10;
const FIRST_DELAY_MS = 15_000;
/**
 * PIN checks of one member that may run at once: enough for scripts that run commands side by
 * side as one operator; one at a time once the member is backing off, so a burst of processes
 * cannot all be checked before the first of their failures counts.
 */
const PARALLEL_CHECKS = 8;
/** A check older than this was killed (the KDF takes well under a second). */
const STALE_CHECK_MS = 60_000;

/** How long after the last of `failures` wrong PINs the next attempt must wait (15 s, 30 s, 1 min … 16 min). */
function backOffMs(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : FIRST_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS);
}

export const isLocked = (member: Pick<Staff, 'pin_failures'>) => member.pin_failures >= LOCK_AFTER;

const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Before a member's PIN is checked: refuses, without checking it, while the member is locked or
 * backing off, or while too many checks of theirs are under way; otherwise notes this check as
 * under way and returns its id for `finishPinCheck`.
 */
export async function startPinCheck(db: DB, member: Pick<Staff, 'id' | 'name'>, now: Date = systemClock.now()): Promise<string> {
  return writeTransaction(db, async (trx) => {
    // Correct with many processes by a row lock: the member's staff row is locked (`for update`)
    // before anything is read or counted, so the checks of one member start one after another and
    // each sees the checks under way and the failures of those before it. SQLite's single writer
    // already runs this transaction alone, and has no FOR UPDATE.
    let locking = trx.selectFrom('staff').select(['pin_failures', 'pin_failed_at']).where('id', '=', member.id);
    if (dialectOf(trx).name === 'postgres') locking = locking.forUpdate();
    const row = await locking.executeTakeFirstOrThrow();
    await trx
      .deleteFrom('pin_checks')
      .where('started_at', '<=', new Date(now.getTime() - STALE_CHECK_MS).toISOString())
      .execute();
    if (isLocked(row)) {
      throw new BoxofficeError('not_authenticated', `${member.name} is locked after ${LOCK_AFTER} wrong PINs`, `a manager or admin can unlock ${member.name} (or set a new PIN)`, {
        locked: true,
      }).because('staff_locked', { name: member.name });
    }
    const wait = backOffMs(row.pin_failures);
    const retryAt = new Date(new Date(row.pin_failed_at ?? 0).getTime() + wait);
    if (wait > 0 && now < retryAt) {
      throw new BoxofficeError(
        'not_authenticated',
        `too many wrong PINs for ${member.name}: try again after ${iso(retryAt)}`,
        `${LOCK_AFTER - row.pin_failures} more wrong PIN(s) in a row lock ${member.name} until a manager unlocks them`,
        { retryAfter: retryAt.toISOString() },
      );
    }
    const underWay = await trx
      .selectFrom('pin_checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('staff_id', '=', member.id)
      .executeTakeFirstOrThrow();
    if (Number(underWay.n) >= (wait > 0 ? 1 : PARALLEL_CHECKS)) {
      throw new BoxofficeError('not_authenticated', `another PIN check for ${member.name} is under way: try again in a moment`);
    }
    const id = randomUUID();
    await trx.insertInto('pin_checks').values({ id, staff_id: member.id, started_at: now.toISOString() }).execute();
    return id;
  });
}

/** What a right PIN leads to. */
export interface PinAccepted {
  ok: true;
  /** The hash the PIN was checked against: the one read with the member. */
  checkedHash: string;
  /** A hash of today's cost to put in its place (needsRehash). */
  newHash?: string;
  /** Writes that belong with the check (login's session), in its transaction and under its row lock. */
  then?: (trx: Trx) => Promise<void>;
}

/**
 * After the PIN was checked: a right one starts the count again (and replaces a hash of an older
 * cost); a wrong one counts and is recorded. A process killed before this learnt nothing.
 * Resolves false, writing nothing but the end of the check, when the right PIN no longer counts:
 * the member's PIN was reset (or they were disabled) after it was read; check again from the start.
 */
export async function finishPinCheck(db: DB, check: string, member: Pick<Staff, 'id' | 'name'>, outcome: PinAccepted | { ok: false }): Promise<boolean> {
  const now = systemClock.now();
  return writeTransaction(db, async (trx) => {
    await trx.deleteFrom('pin_checks').where('id', '=', check).execute();
    if (outcome.ok) {
      // Correct with many processes by a conditional update whose row count is checked: only while
      // the hash is still the one the PIN matched and the member is enabled. A `staff pin` reset or
      // `staff disable` committed meanwhile leaves no row (PostgreSQL re-reads a row changed under
      // it), so the rehash cannot overwrite the new PIN nor the old PIN open a session. A reset
      // after this waits for the row lock the update holds to commit, and then deletes the session
      // `then` wrote. Another login's rehash also changes the hash: checked again, the PIN matches.
      const accepted = await trx
        .updateTable('staff')
        .set({ pin_failures: 0, pin_failed_at: null, ...(outcome.newHash ? { pin_hash: outcome.newHash } : {}) })
        .where('id', '=', member.id)
        .where('pin_hash', '=', outcome.checkedHash)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      if (Number(accepted.numUpdatedRows) === 0) return false;
      await outcome.then?.(trx);
      return true;
    }
    // An atomic increment (not a read then a write): wrong PINs checked at once all count.
    const { pin_failures: failures } = await trx
      .updateTable('staff')
      .set((eb) => ({ pin_failures: eb('pin_failures', '+', 1), pin_failed_at: now.toISOString() }))
      .where('id', '=', member.id)
      .returning('pin_failures')
      .executeTakeFirstOrThrow();
    await recordFailure(trx, db, { id: member.id, name: member.name, failures }, now);
    return true;
  });
}

/** An unknown name is recorded too: someone trying names is worth knowing about. */
export async function recordUnknownName(db: DB, name: string): Promise<void> {
  await writeTransaction(db, (trx) => recordFailure(trx, db, { id: null, name, failures: null }, systemClock.now()));
}

function recordFailure(trx: Trx, db: DB, tried: { id: number | null; name: string; failures: number | null }, now: Date): Promise<void> {
  const locked = tried.failures !== null && tried.failures >= LOCK_AFTER;
  const wait = tried.failures === null || locked ? 0 : backOffMs(tried.failures);
  return recordEvents(trx, { db, clock: systemClock, actor: NOBODY }, [
    {
      type: 'staff.login_failed',
      subject: tried.id === null ? 'staff/unknown' : `staff/${tried.id}`,
      data: { id: tried.id, name: tried.name.slice(0, 100), failures: tried.failures, locked, retryAfter: wait > 0 ? new Date(now.getTime() + wait).toISOString() : null },
    },
  ]);
}
