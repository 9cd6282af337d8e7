// Who may do what. The core checks these and refuses; the fronts word the refusal (and may ask can()
// to leave out what the operator may not do).
import { BoxofficeError, type Reason } from '../errors.js';

export type Role = 'admin' | 'manager' | 'clerk' | 'door';
export const ROLES: readonly Role[] = ['admin', 'manager', 'clerk', 'door'];

export interface Actor {
  /** null when no staff exist and the tool runs single-user. */
  staffId: number | null;
  name: string;
  role: Role;
}

/** With no staff defined the box office is one person who may do everything. */
export const SINGLE_USER: Actor = { staffId: null, name: 'single-user', role: 'admin' };

/** Before anyone has logged in: matches no role, so every permission check refuses it. */
export const NOBODY: Actor = { staffId: null, name: 'nobody', role: 'nobody' as Role };

export type Action =
  | 'sell'
  | 'hold'
  | 'release_own_hold'
  | 'release_any_hold'
  | 'refund'
  | 'comp'
  | 'cancel_event'
  | 'block_seats'
  | 'manage_events'
  | 'manage_venues'
  | 'manage_staff'
  | 'unlock_staff'
  | 'checkin'
  | 'reissue'
  | 'print_event_tickets'
  | 'reports'
  | 'backup'
  | 'mark_rehearsal'
  | 'look_up_orders'
  | 'read_personal_data'
  | 'view';

const allowed: Record<Action, readonly Role[]> = {
  view: ['admin', 'manager', 'clerk', 'door'],
  sell: ['admin', 'manager', 'clerk'],
  hold: ['admin', 'manager', 'clerk'],
  release_own_hold: ['admin', 'manager', 'clerk'],
  release_any_hold: ['admin', 'manager'],
  refund: ['admin', 'manager'],
  comp: ['admin', 'manager'],
  cancel_event: ['admin', 'manager'],
  block_seats: ['admin', 'manager'],
  manage_events: ['admin', 'manager'],
  reissue: ['admin', 'manager'],
  print_event_tickets: ['admin', 'manager'],
  reports: ['admin', 'manager'],
  checkin: ['admin', 'manager', 'door'],
  manage_venues: ['admin'],
  manage_staff: ['admin'],
  unlock_staff: ['admin', 'manager'],
  backup: ['admin', 'manager'],
  mark_rehearsal: ['admin'],
  // Personal data (README "Who may read what"): the counter looks up the order or customer in
  // front of it; only the office reads customers, orders, leads, mail and the log in bulk.
  look_up_orders: ['admin', 'manager', 'clerk'],
  read_personal_data: ['admin', 'manager'],
};

const describe: Record<Action, string> = {
  view: 'look at data',
  sell: 'sell tickets',
  hold: 'hold seats',
  release_own_hold: 'release a hold',
  release_any_hold: "release another operator's hold",
  refund: 'refund orders',
  comp: 'give complimentary tickets',
  cancel_event: 'cancel events',
  block_seats: 'block or release seats',
  manage_events: 'set up events and prices',
  reissue: 'reissue tickets',
  print_event_tickets: "print a whole event's tickets",
  reports: 'see reports, export data and read the event feed',
  checkin: 'check tickets in',
  manage_venues: 'set up venues and seat maps',
  manage_staff: 'manage staff',
  unlock_staff: 'unlock staff locked out by wrong PINs',
  backup: 'back up the database',
  mark_rehearsal: 'mark the database as a rehearsal database',
  look_up_orders: 'look up orders and customers',
  read_personal_data: "read customers' personal data in bulk",
};

export function can(actor: Actor, action: Action): boolean {
  return allowed[action].includes(actor.role);
}

/** How one read or change words its refusal: what was refused ("list customers"), and what to do instead. */
export interface Refusal {
  what?: string;
  hint?: string;
  /** The reason a front words this refusal by (one whose facts are none, such as customer_by_id). */
  reason?: Reason;
}

/** Throws `forbidden`, naming the roles that may, unless the actor may do `action`. */
export function requireRole(actor: Actor, action: Action, refusal: Refusal = {}): void {
  if (can(actor, action)) return;
  const roles = allowed[action];
  const list = roles.length > 1 ? `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}` : roles[0];
  const who = roles.includes('clerk') ? 'a clerk or a manager' : roles.includes('manager') ? 'a manager' : `an ${roles[0]}`;
  const err = new BoxofficeError(
    'forbidden',
    `${actor.name} (${actor.role}) may not ${refusal.what ?? describe[action]}: that needs the ${list} role`,
    refusal.hint ?? `ask ${who}, or log in as one`,
    { needs: roles, role: actor.role },
  );
  throw refusal.reason ? err.because(refusal.reason as 'customer_by_id', {}) : err;
}
