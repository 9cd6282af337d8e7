// Check-in at the door: a code is admitted once; every refusal says why.
import { lockRow, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { sameName } from '../../db/fold.js';
import type { Queryable } from '../../db/transaction.js';
import { newTicketCode, normaliseTicketCode } from '../codes.js';
import { BoxofficeError, invalid } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';
import { seatLabel } from '../inventory/seat-refs.js';
import { formatInZone, humanTime } from '../time.js';
import { ticketQuery } from './query.js';
import { reservedSectionCount } from '../inventory/availability.js';

export interface Admission {
  verdict: 'admitted';
  code: string;
  event: { id: number; name: string };
  order: string;
  tier: string;
  section: string;
  seat: string | null;
  gate: string | null;
  scannedAt: string;
}

async function ticketByCode(db: Queryable, code: string) {
  return ticketQuery(db).where('tickets.code', '=', code).executeTakeFirst();
}

/** How a wrong-event refusal names two events: by name, and by start (and venue) where the names alone are the same. */
function tellApart(ticket: { name: string; startsAt: string; timezone: string; venue: string }, scanned: { name: string; startsAt: string; timezone: string; venue: string }): [string, string] {
  if (!sameName(ticket.name, scanned.name)) return [ticket.name, scanned.name];
  const a = humanTime(ticket.startsAt, ticket.timezone);
  const b = humanTime(scanned.startsAt, scanned.timezone);
  if (a !== b) return [`${ticket.name} (${a})`, `${scanned.name} (${b})`];
  return [`${ticket.name} (${a}, ${ticket.venue})`, `${scanned.name} (${b}, ${scanned.venue})`];
}

/**
 * Admits a ticket once. Refusals: ticket_unknown (3), ticket_void, ticket_used with the first scan,
 * ticket_wrong_event (4). A void or used ticket is refused as such even when it is for another
 * event: that is what the door needs to know about it.
 */
export async function checkIn(ctx: CoreContext, input: { code: string; event?: string; gate?: string }): Promise<Admission> {
  requireRole(ctx.actor, 'checkin');
  const code = normaliseTicketCode(input.code);
  if (!code) throw invalid('no ticket code given');
  const gate = plainText(input.gate?.trim() || null, 'gate');
  return writeTransaction(ctx.db, async (trx) => {
    const ticket = await ticketByCode(trx, code);
    if (!ticket) throw new BoxofficeError('ticket_unknown', `unknown ticket ${JSON.stringify(input.code.trim())}`, 'check the code; a reissued ticket has a new one');
    // PostgreSQL: the event row first (KEY SHARE, as sales take it), then the ticket: the order in
    // which cancelling the event takes them, so a scan and a cancel wait for each other instead of
    // deadlocking (the checkins row's key to the event would take KEY SHARE after the ticket).
    await lockRow(trx, 'events', ticket.event_id, 'key share');
    // The event named must exist whatever the ticket's state: a typo in --event is not hidden by a void ticket.
    const scanned = input.event !== undefined ? await findEvent(trx, input.event) : undefined;
    if (ticket.status === 'void') throw new BoxofficeError('ticket_void', `ticket ${code} is void (refunded or replaced)`);
    if (ticket.status === 'used') {
      const first = await trx.selectFrom('checkins').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow();
      // Door staff read the time on the venue's clock: "already used at 19:02, gate 2".
      const local = formatInZone(first.scanned_at, ticket.timezone);
      throw new BoxofficeError('ticket_used', `ticket ${code} was already used at ${local.slice(11, 16)} on ${local.slice(0, 10)}${first.gate ? `, gate ${first.gate}` : ''}`, undefined, {
        firstScan: { at: local, gate: first.gate, operator: first.operator_name },
      });
    }
    if (scanned && scanned.event.id !== ticket.event_id) {
      const [theirs, ours] = tellApart(
        { name: ticket.event_name, startsAt: ticket.starts_at, timezone: ticket.timezone, venue: ticket.venue },
        { name: scanned.event.name, startsAt: scanned.event.starts_at, timezone: scanned.venue.timezone, venue: scanned.venue.name },
      );
      throw new BoxofficeError('ticket_wrong_event', `ticket ${code} is for ${theirs}, not ${ours}`, undefined, {
        ticketEvent: ticket.event_name,
        ticketEventId: ticket.event_id,
        ticketEventStartsAt: formatInZone(ticket.starts_at, ticket.timezone),
      }).because('ticket_for_other_event', { ticket: code, event: theirs, scanned: ours });
    }
    if (ticket.status !== 'valid') throw new BoxofficeError('ticket_void', `ticket ${code} is not issued`);
    const scannedAt = nowIso(ctx);
    // Admitted once: the ticket goes from valid to used by a conditional update whose row count is
    // checked. On PostgreSQL a second scan at another gate waits for the first's row lock, then
    // finds the ticket no longer valid, and runs again to answer ticket_used with the first scan.
    // (The unique index on checkins.ticket_id stays the last word.)
    const used = await trx.updateTable('tickets').set({ status: 'used' }).where('id', '=', ticket.id).where('status', '=', 'valid').executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw new TransactionConflict(new BoxofficeError('ticket_used', `ticket ${code} was just used or changed at another terminal`));
    await trx.insertInto('checkins').values({ ticket_id: ticket.id, event_id: ticket.event_id, gate, operator_name: ctx.actor.name, scanned_at: scannedAt }).execute();
    await recordEvents(trx, ctx, [{ type: 'ticket.checked_in', subject: `ticket/${ticket.id}`, data: { id: ticket.id, order: ticket.order_code, eventId: ticket.event_id, gate } }]);
    const qualify = (await reservedSectionCount(trx, ticket.event_id)) > 1;
    const seat = ticket.row_label !== null && ticket.number !== null ? seatLabel({ section: ticket.section, row: ticket.row_label, number: ticket.number }, qualify) : null;
    return {
      verdict: 'admitted' as const,
      code,
      event: { id: ticket.event_id, name: ticket.event_name },
      order: ticket.order_code,
      tier: ticket.tier,
      section: ticket.section,
      seat,
      gate,
      scannedAt,
    };
  });
}

/** A lost ticket: the old code is voided and a new one issued for the same seat and order. */
export async function reissueTicket(ctx: CoreContext, codeInput: string): Promise<{ old: string; code: string; order: string }> {
  requireRole(ctx.actor, 'reissue');
  const code = normaliseTicketCode(codeInput);
  return writeTransaction(ctx.db, async (trx) => {
    const ticket = await ticketByCode(trx, code);
    if (!ticket) throw new BoxofficeError('ticket_unknown', `unknown ticket ${JSON.stringify(codeInput.trim())}`);
    // PostgreSQL: the event (KEY SHARE) and the order (as refunds lock it) before the ticket, in the
    // order cancels and refunds take them: waits, not deadlocks.
    await lockRow(trx, 'events', ticket.event_id, 'key share');
    await lockRow(trx, 'orders', ticket.order_id, 'update');
    if (ticket.status === 'void') throw new BoxofficeError('ticket_void', `ticket ${code} is void and cannot be reissued`);
    if (ticket.status === 'used') throw new BoxofficeError('ticket_used', `ticket ${code} was already used at the door`);
    const now = nowIso(ctx);
    // The old code is voided only if still valid (conditional update, row count checked): a scan
    // or refund that committed since it was read makes this run again and answer from that.
    const voided = await trx.updateTable('tickets').set({ status: 'void', voided_at: now }).where('id', '=', ticket.id).where('status', '=', 'valid').executeTakeFirst();
    if (Number(voided.numUpdatedRows) === 0) throw new TransactionConflict(new BoxofficeError('invalid_state', `ticket ${code} changed at another terminal while being reissued`));
    const fresh = await trx
      .insertInto('tickets')
      .values({
        order_id: ticket.order_id,
        event_id: ticket.event_id,
        section_id: ticket.section_id,
        seat_id: ticket.seat_id,
        tier_id: ticket.tier_id,
        price: ticket.price,
        code: newTicketCode(),
        status: 'valid',
        issued_at: now,
        voided_at: null,
        replaces_id: ticket.id,
      })
      .returning(['id', 'code'])
      .executeTakeFirstOrThrow();
    if (ticket.seat_id !== null) {
      await trx.updateTable('seat_claims').set({ ticket_id: fresh.id }).where('ticket_id', '=', ticket.id).execute();
    }
    await recordEvents(trx, ctx, [
      { type: 'ticket.voided', subject: `ticket/${ticket.id}`, data: { id: ticket.id, order: ticket.order_code, reason: 'reissued' } },
      { type: 'ticket.issued', subject: `ticket/${fresh.id}`, data: { id: fresh.id, order: ticket.order_code, price: ticket.price, replaces: ticket.id } },
    ]);
    return { old: code, code: fresh.code as string, order: ticket.order_code };
  });
}
