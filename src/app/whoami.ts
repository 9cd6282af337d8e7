// "Who am I": who acts on this database and how, and whether its clock is a rehearsal's.
import type { CoreContext } from '../core/context.js';
import { MovedClock } from '../core/clock.js';
import { rehearsalMark } from '../core/rehearsal.js';
import { actorFromSession } from '../core/staff/sessions.js';
import { authenticate, hasStaff } from '../core/staff/staff.js';
import type { Role } from '../core/staff/permissions.js';

export interface Identity {
  /** Null when no staff are defined (single-user). */
  operator: string | null;
  role: Role;
  via: 'environment' | 'single-user' | 'session';
  /** A login session's end. */
  expiresAt?: string;
  /** Whether this database lets the clock be moved (BOXOFFICE_NOW). */
  rehearsal: boolean;
  /** The box office's time now, ISO 8601. */
  clock: string;
  clockMoved: boolean;
}

/**
 * Who acts: the operator named with a PIN (checked, as every command checks it), else nobody when
 * no staff are defined, else the login session `sessionToken` names. Null when none of these holds
 * (not logged in).
 */
export async function whoAmI(ctx: Pick<CoreContext, 'db' | 'clock'>, given: { operator?: string; pin?: string; sessionToken?: string }): Promise<Identity | null> {
  const session = given.sessionToken === undefined ? undefined : await actorFromSession(ctx.db, given.sessionToken);
  let who: Pick<Identity, 'operator' | 'role' | 'via' | 'expiresAt'>;
  if (given.operator) {
    const actor = await authenticate(ctx.db, given.operator, given.pin);
    who = { operator: actor.name, role: actor.role, via: 'environment' };
  } else if (!(await hasStaff(ctx.db))) {
    who = { operator: null, role: 'admin', via: 'single-user' };
  } else if (session) {
    who = { operator: session.name, role: session.role, via: 'session', expiresAt: session.expiresAt };
  } else {
    return null;
  }
  const rehearsal = (await rehearsalMark(ctx.db)) !== null;
  return { ...who, rehearsal, clock: ctx.clock.now().toISOString(), clockMoved: ctx.clock instanceof MovedClock };
}
