// What goes on a printed ticket, read from the database: one order's tickets at once, or a whole
// event's in batches so that ten thousand tickets never sit in memory together; and one ticket
// with its story, as `tickets show` gives it. All of them read ticketQuery (query.ts).
import type { Queryable } from '../../db/transaction.js';
import { ticketQuery, ticketSeat, type TicketRow, type TicketStatus } from './query.js';
import { normaliseTicketCode } from '../codes.js';
import { BoxofficeError } from '../errors.js';
import { findEvent } from '../events/events.js';
import { findOrderRow } from '../orders/view.js';
import { formatInZone } from '../time.js';
import { reservedSectionCount } from '../inventory/availability.js';
import type { CoreContext } from '../context.js';
import { requireRole } from '../staff/permissions.js';

/** One admission as the PDF, the email and the terminal show it. */
export interface PrintableTicket {
  id: number;
  code: string;
  status: TicketStatus;
  orderCode: string;
  event: { id: number; name: string; startsAt: string; timezone: string; venue: string; city: string };
  section: string;
  /** null for general admission. */
  row: string | null;
  number: number | null;
  tier: string;
  price: number;
  currency: string;
  holderName: string | null;
}

function toPrintable(r: TicketRow): PrintableTicket {
  return {
    id: r.id,
    code: r.code ?? '',
    status: r.status,
    orderCode: r.order_code,
    event: { id: r.event_id, name: r.event_name, startsAt: r.starts_at, timezone: r.timezone, venue: r.venue, city: r.city },
    section: r.section,
    row: r.row_label,
    number: r.number,
    tier: r.tier,
    price: r.price,
    currency: r.currency,
    holderName: r.holder_name ?? r.customer_name ?? null,
  };
}

/** The valid tickets of a paid order; refuses an order that has none to print. */
export async function orderPrintables(ctx: CoreContext, orderCode: string): Promise<{ order: { id: number; code: string; eventId: number }; tickets: PrintableTicket[] }> {
  const order = await findOrderRow(ctx.db, orderCode);
  if (order.status === 'pending') {
    throw new BoxofficeError('invalid_state', `order ${order.code} is not paid yet: its tickets are issued when it is paid`, 'take its payment first').because('order_not_paid', { order: order.code });
  }
  const rows = await ticketQuery(ctx.db).where('tickets.order_id', '=', order.id).where('tickets.status', '=', 'valid').orderBy('tickets.id').execute();
  if (rows.length === 0) {
    throw new BoxofficeError('invalid_state', `order ${order.code} is ${order.status.replace('_', ' ')} and has no valid tickets to print`);
  }
  return { order: { id: order.id, code: order.code, eventId: order.event_id }, tickets: rows.map(toPrintable) };
}

/** How many valid tickets an event has (for progress and for refusing an empty PDF). */
async function countEventTickets(db: Queryable, eventId: number): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'valid')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every valid ticket of an event, in the order they were made (ticket id), read in batches (keyset pages). */
export async function* eventPrintables(db: Queryable, eventId: number, batchSize = 500): AsyncGenerator<PrintableTicket> {
  let after = 0;
  for (;;) {
    const rows = await ticketQuery(db).where('tickets.event_id', '=', eventId).where('tickets.status', '=', 'valid').where('tickets.id', '>', after).orderBy('tickets.id').limit(batchSize).execute();
    for (const r of rows) yield toPrintable(r);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].id;
  }
}

/** Finds an event by reference and checks it has tickets to print. */
export async function eventForPrinting(db: Queryable, ref: string): Promise<{ id: number; name: string; tickets: number }> {
  const { event } = await findEvent(db, ref);
  const tickets = await countEventTickets(db, event.id);
  if (tickets === 0) throw new BoxofficeError('invalid_state', `event ${event.name} has no valid tickets to print`);
  return { id: event.id, name: event.name, tickets };
}

/** A ticket as `tickets show` gives it: the JSON contract's ticket fields plus its story. */
export interface TicketDetails {
  /** The ticket code: what the commands take. */
  id: string;
  code: string;
  status: PrintableTicket['status'];
  tier: string;
  price: number;
  currency: string;
  section: string;
  row: string | null;
  number: number | null;
  /** The reference `--seats` accepts; null for general admission. */
  seat: string | null;
  order: string;
  event: { id: number; name: string; startsAt: string; venue: string; city: string; timezone: string };
  holderName: string | null;
  issuedAt: string | null;
  voidedAt: string | null;
  checkedIn: { at: string; gate: string | null; operator: string } | null;
  /** The code this ticket replaced, or the code that replaced it (a reissue). */
  replaces: string | null;
  replacedBy: string | null;
}

/**
 * One ticket by its code, with its check-in and reissue history; an unknown code is ticket_unknown.
 * Every role may: whoever holds a ticket's code holds the ticket, and the door sees its holder's
 * name anyway.
 */
export async function ticketDetails(ctx: CoreContext, codeInput: string): Promise<TicketDetails> {
  requireRole(ctx.actor, 'view', { what: 'look up tickets' });
  const db = ctx.db;
  const code = normaliseTicketCode(codeInput);
  if (!code) throw new BoxofficeError('invalid_input', 'no ticket code given');
  const row = await ticketQuery(db).where('tickets.code', '=', code).executeTakeFirst();
  if (!row) throw new BoxofficeError('ticket_unknown', `unknown ticket ${code}`, 'check the code; a reissued ticket has a new one');
  const t = toPrintable(row);
  const qualify = t.row !== null && (await reservedSectionCount(db, t.event.id)) > 1;
  return {
    id: t.code,
    code: t.code,
    status: t.status,
    tier: t.tier,
    price: t.price,
    currency: t.currency,
    section: t.section,
    row: t.row,
    number: t.number,
    seat: ticketSeat(row, qualify),
    order: t.orderCode,
    event: { ...t.event, startsAt: formatInZone(t.event.startsAt, t.event.timezone) },
    holderName: t.holderName,
    issuedAt: row.issued_at,
    voidedAt: row.voided_at,
    checkedIn: row.scanned_at !== null && row.checked_in_by !== null ? { at: row.scanned_at, gate: row.gate, operator: row.checked_in_by } : null,
    replaces: row.replaces_code ?? null,
    replacedBy: row.replaced_by_code ?? null,
  };
}
