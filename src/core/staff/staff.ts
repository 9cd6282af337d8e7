// Staff members, their PINs, and who is acting.
import { foldKey } from '../../db/fold.js';
import type { Queryable } from '../../db/transaction.js';
import { lockRow, writeTransaction, type Trx } from '../../db/transaction.js';
import type { Staff } from '../../db/schema.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents } from '../outbox/outbox.js';
import type { DB } from '../../db/connection.js';
import { hashPin, hashToCheck, needsRehash, verifyPin } from './pin.js';
import { FREE_ATTEMPTS, LOCK_AFTER, finishPinCheck, isLocked, recordUnknownName, startPinCheck } from './pin-guard.js';
import { ROLES, SINGLE_USER, requireRole, type Actor, type Role } from './permissions.js';
import { resolveByIdOrName } from '../references.js';
import { writeUnique } from '../unique.js';

export interface StaffView {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  /** Locked after too many wrong PINs in a row, until a manager unlocks them. */
  locked: boolean;
  createdAt: string;
}

const toView = (s: Staff): StaffView => ({
  id: s.id,
  name: s.name,
  role: s.role,
  disabled: s.disabled === 1,
  locked: isLocked(s),
  createdAt: s.created_at,
});

export function validatePin(pin: string): void {
  if (!/^\d{4,12}$/.test(pin)) throw invalid('a PIN is 4 to 12 digits');
}

function parseRole(input: string): Role {
  const role = input.trim().toLowerCase() as Role;
  if (!ROLES.includes(role)) throw invalid(`unknown role ${JSON.stringify(input)}`, `roles: ${ROLES.join(', ')}`);
  return role;
}

export async function hasStaff(db: Queryable): Promise<boolean> {
  const row = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Adds a staff member. The first one must be an admin, so the box office is never locked out. */
export async function addStaff(ctx: CoreContext, input: { name: string; role: string; pin: string }): Promise<StaffView> {
  const name = input.name.trim();
  if (!name) throw invalid('a staff member needs a name');
  plainText(name, 'staff name');
  const role = parseRole(input.role);
  validatePin(input.pin);
  const pinHash = await hashPin(input.pin);
  // Two terminals adding staff at once (PostgreSQL): the name by the unique index staff_name, see
  // writeUnique; "the first must be an admin" by SERIALIZABLE with retry, so two processes cannot
  // both see an empty staff table and both make a first member.
  return writeUnique(
    ctx.db,
    async (trx) => {
      const first = !(await hasStaff(trx));
      if (first && role !== 'admin') {
        throw invalid('the first staff member must be an admin', 'add an admin first').because('first_staff_not_admin', {});
      }
      if (!first) requireRole(ctx.actor, 'manage_staff');
      const clash = await trx.selectFrom('staff').select('id').where('name_key', '=', foldKey(name)).executeTakeFirst();
      if (clash) throw new BoxofficeError('already_exists', `a staff member called ${name} already exists`);
      const row = await trx
        .insertInto('staff')
        .values({ name, name_key: foldKey(name), role, pin_hash: pinHash, disabled: 0, created_at: nowIso(ctx) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordEvents(trx, ctx, [{ type: 'staff.created', subject: `staff/${row.id}`, data: { id: row.id, name, role } }]);
      return toView(row);
    },
    { serializable: true },
  );
}

export async function listStaff(ctx: CoreContext): Promise<StaffView[]> {
  return (await ctx.db.selectFrom('staff').selectAll().orderBy('id').execute()).map(toView);
}

/** How many times a login checks a PIN whose hash keeps changing under it before it gives up. */
const CHECK_ATTEMPTS = 3;

/**
 * Who is acting: single-user while no staff exist; otherwise the named staff member, whose PIN
 * must match. A wrong name or PIN is the same refusal, so names cannot be probed, and an unknown
 * name runs the KDF against a dummy hash so it takes as long as a known one. A member's wrong
 * PINs back off and then lock (pin-guard.ts); every failure is recorded. `alongside` writes what
 * a right PIN leads to (a login's session) in the transaction that accepts the PIN.
 */
export async function authenticate(db: DB, name: string | undefined, pin: string | undefined, alongside?: (trx: Trx, actor: Actor) => Promise<void>): Promise<Actor> {
  if (!(await hasStaff(db))) return SINGLE_USER;
  if (!name || !pin) {
    throw new BoxofficeError(
      'not_authenticated',
      name ? `no PIN given for ${name}` : 'staff are defined: say who you are',
      name ? 'set BOXOFFICE_PIN as well as BOXOFFICE_OPERATOR' : 'set BOXOFFICE_OPERATOR and BOXOFFICE_PIN (or log in)',
    );
  }
  // The same answer, hint included, whether the name exists or not; the hint tells the rule now,
  // not only once it applies.
  const wrong = new BoxofficeError(
    'not_authenticated',
    'wrong operator name or PIN',
    `after ${FREE_ATTEMPTS} wrong PINs in a row each attempt waits (15 s, then doubling); ${LOCK_AFTER} lock the member until a manager unlocks them`,
  );
  // A right PIN whose hash changed while it was checked (finishPinCheck) is checked again against
  // the member as they are now, as if the change had come first.
  for (let attempt = 1; attempt <= CHECK_ATTEMPTS; attempt++) {
    const staff = await resolveByIdOrName(db, 'staff', name).catch(() => undefined);
    const check = staff && (await startPinCheck(db, staff));
    // The KDF runs whatever the name, and for a disabled member too: the time says nothing.
    const matches = await verifyPin(pin, hashToCheck(staff?.pin_hash));
    if (!staff || !check) {
      await recordUnknownName(db, name);
      throw wrong;
    }
    if (!matches || staff.disabled !== 0) {
      await finishPinCheck(db, check, staff, { ok: false });
      throw wrong;
    }
    const actor: Actor = { staffId: staff.id, name: staff.name, role: staff.role };
    const newHash = needsRehash(staff.pin_hash) ? await hashPin(pin) : undefined;
    if (await finishPinCheck(db, check, staff, { ok: true, checkedHash: staff.pin_hash, newHash, then: alongside && ((trx) => alongside(trx, actor)) })) return actor;
  }
  throw new BoxofficeError('not_authenticated', `the PIN of ${name} changed while it was being checked`, 'try again');
}

/** Disables a staff member (admin): their PIN stops working and their sessions end. */
export async function disableStaff(ctx: CoreContext, ref: string): Promise<StaffView> {
  requireRole(ctx.actor, 'manage_staff');
  return writeTransaction(
    ctx.db,
    async (trx) => {
      const member = await resolveByIdOrName(trx, 'staff', ref);
      if (member.id === ctx.actor.staffId) throw invalid('you cannot disable yourself', 'ask another admin');
      if (member.role === 'admin') {
        const admins = await trx.selectFrom('staff').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
        if (admins.length <= 1) throw new BoxofficeError('invalid_state', `${member.name} is the last admin and cannot be disabled`);
      }
      // Recorded once however many disable the member at once: a conditional update whose row count
      // decides (on PostgreSQL the second of two at once is rolled back by SERIALIZABLE, below, and
      // run again finds no enabled member to change). An already disabled member gets the same
      // answer and no second event.
      const changed = await trx.updateTable('staff').set({ disabled: 1 }).where('id', '=', member.id).where('disabled', '=', 0).executeTakeFirst();
      await trx.deleteFrom('sessions').where('staff_id', '=', member.id).execute();
      if (Number(changed.numUpdatedRows) > 0) {
        await recordEvents(trx, ctx, [{ type: 'staff.disabled', subject: `staff/${member.id}`, data: { id: member.id, name: member.name } }]);
      }
      return toView({ ...member, disabled: 1 });
      // SERIALIZABLE on PostgreSQL: two admins disabling each other at once both count two admins
      // (write skew, no row in common); one of them is rolled back and, run again, finds the last.
    },
    { serializable: true },
  );
}

/** Sets a new PIN: an admin for anyone, everyone for themselves. Open sessions of that member end. */
export async function resetPin(ctx: CoreContext, ref: string, pin: string): Promise<StaffView> {
  validatePin(pin);
  const pinHash = await hashPin(pin);
  return writeTransaction(ctx.db, async (trx) => {
    const member = await resolveByIdOrName(trx, 'staff', ref);
    if (member.id !== ctx.actor.staffId) requireRole(ctx.actor, 'manage_staff');
    // A new PIN also ends a lock: the wrong PINs were tried against the old one. The update takes
    // the member's row lock before the sessions are deleted: a login accepting the old PIN either
    // committed its session before (deleted here) or finds the hash changed (finishPinCheck).
    await trx.updateTable('staff').set({ pin_hash: pinHash, pin_failures: 0, pin_failed_at: null }).where('id', '=', member.id).execute();
    await trx.deleteFrom('sessions').where('staff_id', '=', member.id).execute();
    await recordEvents(trx, ctx, [{ type: 'staff.pin_reset', subject: `staff/${member.id}`, data: { id: member.id, name: member.name } }]);
    return toView({ ...member, pin_failures: 0 });
  });
}

/**
 * Lets a member locked (or backing off) after wrong PINs try again: a manager for clerks, door
 * staff and managers, an admin for anyone (a manager must not reopen an admin to guessing).
 */
export async function unlockStaff(ctx: CoreContext, ref: string): Promise<StaffView> {
  requireRole(ctx.actor, 'unlock_staff');
  return writeTransaction(ctx.db, async (trx) => {
    const found = await resolveByIdOrName(trx, 'staff', ref);
    if (found.role === 'admin') requireRole(ctx.actor, 'manage_staff');
    // Correct with many processes by a row lock (PostgreSQL; SQLite's single writer needs none):
    // the member's row is locked and read again before the count is looked at, so of two unlocks
    // at once the second sees the count the first cleared and records nothing, as it would after
    // it; and the event tells the failures it cleared, not those of an earlier read.
    const member = (await lockRow(trx, 'staff', found.id)) ?? found;
    if (member.pin_failures > 0) {
      await trx.updateTable('staff').set({ pin_failures: 0, pin_failed_at: null }).where('id', '=', member.id).execute();
      await recordEvents(trx, ctx, [{ type: 'staff.unlocked', subject: `staff/${member.id}`, data: { id: member.id, name: member.name, failures: member.pin_failures } }]);
    }
    return toView({ ...member, pin_failures: 0 });
  });
}
