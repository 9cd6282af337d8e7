// Ticket PDFs as the box office makes them: an order's tickets, or a whole event's, with the
// rendering recorded as a domain event once the file is complete.
import type { Writable } from 'node:stream';
import { writeTransaction } from '../../db/transaction.js';
import type { CoreContext } from '../context.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { eventForPrinting, eventPrintables, orderPrintables } from './printable.js';
import { renderTicketsPdf, renderTicketsPdfFile, type RenderResult, type TicketLayout } from './pdf.js';

export type RenderPurpose = 'pdf' | 'print' | 'email';

export interface PdfRequest {
  layout: TicketLayout;
  lang: string;
  /** Why it was made, recorded with the event. */
  purpose?: RenderPurpose;
  /** Replace an existing file (a file is never written through a link or over a FIFO). */
  force?: boolean;
}

export interface PdfResult extends RenderResult {
  /** Set for an order's PDF. */
  order?: string;
  eventId: number;
  layout: TicketLayout;
  lang: string;
  file?: string;
  bytes?: number;
}

function renderedEvent(subject: string, result: PdfResult, purpose: RenderPurpose): DomainEvent {
  return {
    type: 'tickets.rendered',
    subject,
    data: { order: result.order ?? null, eventId: result.eventId, tickets: result.tickets, pages: result.pages, layout: result.layout, lang: result.lang, purpose },
  };
}

/** Records that tickets were rendered (after the PDF is complete; nothing is recorded for a failed one). */
async function recordRendering(ctx: CoreContext, result: PdfResult, purpose: RenderPurpose): Promise<void> {
  const subject = result.order ? `order/${result.order}` : `event/${result.eventId}`;
  await writeTransaction(ctx.db, (trx) => recordEvents(trx, ctx, [renderedEvent(subject, result, purpose)]));
}

/** The rendered-tickets event for a caller that records it in its own transaction (email). */
export function renderingEvent(result: PdfResult, purpose: RenderPurpose): DomainEvent {
  return renderedEvent(result.order ? `order/${result.order}` : `event/${result.eventId}`, result, purpose);
}

/** An order's valid tickets as a PDF file. */
export async function writeOrderPdf(ctx: CoreContext, orderCode: string, file: string, request: PdfRequest): Promise<PdfResult> {
  requireRole(ctx.actor, 'sell');
  const { order, tickets } = await orderPrintables(ctx, orderCode);
  const rendered = await renderTicketsPdfFile(tickets, file, { layout: request.layout, lang: request.lang, title: `Tickets ${order.code}`, force: request.force });
  const result: PdfResult = { order: order.code, eventId: order.eventId, layout: request.layout, lang: request.lang, ...rendered };
  await recordRendering(ctx, result, request.purpose ?? 'pdf');
  return result;
}

/** An order's valid tickets as a PDF written to a stream (stdout); the stream is left open. */
export async function streamOrderPdf(ctx: CoreContext, orderCode: string, out: Writable, request: PdfRequest): Promise<PdfResult> {
  requireRole(ctx.actor, 'sell');
  const { order, tickets } = await orderPrintables(ctx, orderCode);
  const rendered = await renderTicketsPdf(tickets, out, { layout: request.layout, lang: request.lang, title: `Tickets ${order.code}`, keepOpen: true });
  const result: PdfResult = { order: order.code, eventId: order.eventId, layout: request.layout, lang: request.lang, ...rendered };
  await recordRendering(ctx, result, request.purpose ?? 'pdf');
  return result;
}

/**
 * The event whose tickets are to be printed, once the operator may print a whole event's tickets
 * (manager): a front calls it before it says anything about rendering.
 */
export async function eventToPrint(ctx: CoreContext, eventRef: string): Promise<{ id: number; name: string; tickets: number }> {
  requireRole(ctx.actor, 'print_event_tickets');
  return eventForPrinting(ctx.db, eventRef);
}

/** Every valid ticket of an event in one PDF, streamed to disk page by page (manager). */
export async function writeEventPdf(ctx: CoreContext, eventRef: string, file: string, request: PdfRequest): Promise<PdfResult & { event: string }> {
  const event = await eventToPrint(ctx, eventRef);
  const rendered = await renderTicketsPdfFile(eventPrintables(ctx.db, event.id), file, { layout: request.layout, lang: request.lang, title: `Tickets: ${event.name}`, force: request.force });
  const result: PdfResult = { eventId: event.id, layout: request.layout, lang: request.lang, ...rendered };
  await recordRendering(ctx, result, request.purpose ?? 'pdf');
  return { ...result, event: event.name };
}
