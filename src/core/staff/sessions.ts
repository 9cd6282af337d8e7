// Login sessions: a random token the operator's config keeps, checked against the database on
// every use (only its hash is stored here), so a session can be ended or expire centrally.
// Sessions run on the real clock, never the box office's: BOXOFFICE_NOW may move that one (on a
// rehearsal database), and a moved clock must neither stretch a login past its hours nor end it.
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import type { DB } from '../../db/connection.js';
import { BoxofficeError } from '../errors.js';
import { ensureFeedSource, feedSource } from '../sync/feed.js';
import type { Actor } from './permissions.js';
import { authenticate } from './staff.js';

const DEFAULT_SESSION_HOURS = 12;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Session {
  token: string;
  actor: Actor;
  expiresAt: string;
  /** The database this login belongs to (its URN): the token means nothing to any other. */
  database: string;
}

/**
 * The identity a login is kept under: the database's URN (a random id made once and kept in
 * it), so a login on one database never stands for, or stands in the way of, another. Undefined
 * for a database nobody has logged in to (nor read the feed of) yet.
 */
export const sessionDatabase = (db: Queryable): Promise<string | undefined> => feedSource(db);

/** Checks name and PIN, then opens a session that lasts `hours` of real time. */
export async function login(db: DB, name: string, pin: string, hours = DEFAULT_SESSION_HOURS): Promise<Session> {
  const token = randomBytes(32).toString('base64url');
  let expiresAt = '';
  // The session is written in the transaction that accepts the PIN, under the staff row's lock
  // and only while the hash is still the one the PIN matched (pin-guard.ts finishPinCheck): a
  // `staff pin` reset or `staff disable` that deletes the member's sessions either commits first
  // (the PIN is checked again against the new hash) or waits for this commit and then deletes this
  // session too. Nothing else is checked then written: the sweep deletes what has expired whoever
  // else sweeps at once, and the new row's key is a random token's hash (a constraint, the primary
  // key, would refuse the one-in-2^256 repeat).
  const actor = await authenticate(db, name, pin, async (trx, member) => {
    const now = new Date();
    expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
    // Expired sessions of anyone are swept here rather than by a job nobody runs. By the
    // computer's own clock: a login under a moved clock (BOXOFFICE_NOW) must not end others'.
    await trx.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
    await trx
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), staff_id: member.staffId as number, created_at: now.toISOString(), expires_at: expiresAt })
      .execute();
  });
  if (actor.staffId === null) {
    throw new BoxofficeError('invalid_state', 'no staff are defined: the box office runs single-user, there is nobody to log in as', 'add an admin first').because('no_staff', {});
  }
  const database = await ensureFeedSource(db);
  return { token, actor, expiresAt, database };
}

/** The operator behind a session token, if the session is still open (by the real clock) and the member enabled. */
export async function actorFromSession(db: Queryable, token: string): Promise<(Actor & { expiresAt: string }) | undefined> {
  const now = new Date();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('staff', 'staff.id', 'sessions.staff_id')
    .select(['staff.id', 'staff.name', 'staff.role', 'staff.disabled', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.disabled === 1 || row.expires_at <= now.toISOString()) return undefined;
  return { staffId: row.id, name: row.name, role: row.role, expiresAt: row.expires_at };
}

/** Ends a session; true if it was open (the delete's row count, so two logouts at once: one true). */
export async function logout(db: DB, token: string): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const res = await trx.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  });
}
