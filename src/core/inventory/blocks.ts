// Blocked seats (house seats, kills, broken seats): set and released by a manager, never offered
// by best available, sellable only once released.
import { isUniqueViolation, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { sameName } from '../../db/fold.js';
import { BoxofficeError } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';
import { choosePlaces } from '../orders/selection.js';
import { expireDueHolds } from '../orders/lifecycle.js';
import { nowIso } from '../context.js';
import type { DomainEvent } from '../outbox/outbox.js';
import { checkSeatRefs, seatText, type SeatRef } from './seat-refs.js';

export async function blockSeats(ctx: CoreContext, input: { event: string; seats: readonly SeatRef[]; reason?: string }): Promise<{ blocked: string[] }> {
  requireRole(ctx.actor, 'block_seats');
  checkSeatRefs(input.seats);
  plainText(input.reason, 'reason');
  return writeTransaction(ctx.db, async (trx) => {
    const { event } = await findEvent(trx, input.event);
    const events: DomainEvent[] = [];
    await expireDueHolds(trx, ctx, event.id, events);
    const places = await choosePlaces(trx, event, { seats: input.seats }, nowIso(ctx));
    // As for a sale, the primary key (event, seat) of seat_claims decides: a seat sold, held or
    // blocked by another terminal since it was read (PostgreSQL) is refused, never blocked twice.
    try {
      await trx
        .insertInto('seat_claims')
        .values(places.map((p) => ({ event_id: event.id, seat_id: p.seatId as number, status: 'blocked' as const, ticket_id: null, expires_at: null, reason: input.reason ?? null })))
        .execute();
    } catch (err) {
      if (isUniqueViolation(err, trx))
        throw new BoxofficeError('seat_unavailable', `not available: ${input.seats.map(seatText).join(',')} (taken at another terminal meanwhile)`, 'see the seat map').because(
          'seats_taken_meanwhile',
          { event: event.id },
        );
      throw err;
    }
    const labels = places.map((p) => `${p.sectionName}:${p.row}-${p.number}`);
    events.push({ type: 'seats.blocked', subject: `event/${event.id}`, data: { eventId: event.id, seats: labels, reason: input.reason ?? null } });
    await recordEvents(trx, ctx, events);
    return { blocked: labels };
  });
}

export async function releaseSeats(ctx: CoreContext, input: { event: string; seats: readonly SeatRef[] }): Promise<{ released: string[] }> {
  requireRole(ctx.actor, 'block_seats');
  const refs = checkSeatRefs(input.seats);
  return writeTransaction(ctx.db, async (trx) => {
    const { event } = await findEvent(trx, input.event);
    const blocked = await trx
      .selectFrom('seat_claims')
      .innerJoin('seats', 'seats.id', 'seat_claims.seat_id')
      .innerJoin('sections', 'sections.id', 'seats.section_id')
      .select(['seat_claims.seat_id', 'seats.row_label', 'seats.number', 'sections.name as section'])
      .where('seat_claims.event_id', '=', event.id)
      .where('seat_claims.status', '=', 'blocked')
      .execute();
    const chosen = refs.map((ref) => {
      const match = blocked.filter((b) => sameName(b.row_label, ref.row) && b.number === ref.number && (ref.section === undefined || sameName(b.section, ref.section)));
      if (match.length !== 1)
        throw new BoxofficeError(
          match.length ? 'ambiguous_reference' : 'invalid_state',
          match.length ? `seat ${seatText(ref)} is blocked in several sections: say which` : `seat ${seatText(ref)} is not blocked`,
        );
      return match[0];
    });
    // Row count checked: a release of the same seats by another terminal meanwhile (PostgreSQL)
    // makes this run again and answer "not blocked".
    const deleted = await trx
      .deleteFrom('seat_claims')
      .where('event_id', '=', event.id)
      .where('status', '=', 'blocked')
      .where(
        'seat_id',
        'in',
        chosen.map((c) => c.seat_id),
      )
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== chosen.length) throw new TransactionConflict(new BoxofficeError('invalid_state', 'seats were released at another terminal meanwhile'));
    const labels = chosen.map((c) => `${c.section}:${c.row_label}-${c.number}`);
    await recordEvents(trx, ctx, [{ type: 'seats.released', subject: `event/${event.id}`, data: { eventId: event.id, seats: labels } }]);
    return { released: labels };
  });
}
