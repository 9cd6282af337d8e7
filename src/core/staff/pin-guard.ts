// Wrong PINs, counted per staff member in the database so every process sees the same count: a
// few are free, then each further attempt waits a growing delay, and a run of them locks the
// member until a manager unlocks them. This is what makes guessing a 4-digit PIN impractical.
import type { DB } from '../../db/connection.js';
import type { Staff } from '../../db/schema.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemClock } from '../clock.js';
import { BoxofficeError } from '../errors.js';
import { recordEvents } from '../outbox/outbox.js';
import { NOBODY } from './permissions.js';

/** Wrong PINs in a row before the back-off starts. */
export const FREE_ATTEMPTS = 3;
/** Wrong PINs in a row that lock the member until a manager unlocks them. */
export const LOCK_AFTER = 10;
const FIRST_DELAY_MS = 15_000;

/** How long after the last of `failures` wrong PINs the next attempt must wait (15 s, 30 s, 1 min … 16 min). */
export function backOffMs(failures: number): number {
  return failures < FREE_ATTEMPTS ? 0 : FIRST_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS);
}

export const isLocked = (member: Pick<Staff, 'pin_failures'>) => member.pin_failures >= LOCK_AFTER;

/**
 * Before a member's PIN is checked: refuses, without checking it, while the member is locked or
 * backing off; otherwise counts this attempt as a failure until the PIN proves right. Counting
 * first, in one write transaction, means a burst of processes cannot all slip through before
 * the first of them records its failure, and a process killed mid-check still counts.
 *
 * Time here is the computer's own clock, never BOXOFFICE_NOW: a moved clock must not wait the
 * back-off out. Returns the count including this attempt.
 */
export async function beginPinAttempt(db: DB, member: Pick<Staff, 'id' | 'name'>, now: Date = systemClock.now()): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const row = await trx.selectFrom('staff').select(['pin_failures', 'pin_failed_at']).where('id', '=', member.id).executeTakeFirstOrThrow();
    if (isLocked(row)) {
      throw new BoxofficeError(
        'not_authenticated',
        `${member.name} is locked after ${LOCK_AFTER} wrong PINs`,
        `a manager or admin can unlock: boxoffice staff unlock ${member.name} (or set a new PIN: boxoffice staff pin ${member.name})`,
        { locked: true },
      );
    }
    const wait = backOffMs(row.pin_failures);
    if (wait > 0 && row.pin_failed_at) {
      const retryAt = new Date(new Date(row.pin_failed_at).getTime() + wait);
      if (now < retryAt) {
        throw new BoxofficeError(
          'not_authenticated',
          `too many wrong PINs for ${member.name}: try again after ${retryAt.toISOString().replace(/\.\d+Z$/, 'Z')}`,
          `${LOCK_AFTER - row.pin_failures} more wrong PIN(s) lock ${member.name} until a manager unlocks them`,
          { retryAfter: retryAt.toISOString() },
        );
      }
    }
    const failures = row.pin_failures + 1;
    await trx.updateTable('staff').set({ pin_failures: failures, pin_failed_at: now.toISOString() }).where('id', '=', member.id).execute();
    return failures;
  });
}

/** After a right PIN: the count starts again (and a hash of an older cost is replaced). */
export async function pinAttemptSucceeded(db: DB, memberId: number, newHash: string | undefined): Promise<void> {
  await writeTransaction(db, (trx) =>
    trx
      .updateTable('staff')
      .set({ pin_failures: 0, pin_failed_at: null, ...(newHash ? { pin_hash: newHash } : {}) })
      .where('id', '=', memberId)
      .execute(),
  );
}

/**
 * Records a wrong PIN (or an unknown name) in the event log, dated by the real clock. An unknown
 * name is recorded too: someone trying names is worth knowing about.
 */
export async function recordPinFailure(db: DB, tried: { id: number | null; name: string; failures: number | null }): Promise<void> {
  const ctx = { db, clock: systemClock, actor: NOBODY };
  const locked = tried.failures !== null && tried.failures >= LOCK_AFTER;
  const wait = tried.failures === null || locked ? 0 : backOffMs(tried.failures);
  const retryAfter = wait > 0 ? new Date(systemClock.now().getTime() + wait).toISOString() : null;
  await writeTransaction(db, (trx) =>
    recordEvents(trx, ctx, [
      {
        type: 'staff.login_failed',
        subject: tried.id === null ? 'staff/unknown' : `staff/${tried.id}`,
        data: { id: tried.id, name: tried.name.slice(0, 100), failures: tried.failures, locked, retryAfter },
      },
    ]),
  );
}
