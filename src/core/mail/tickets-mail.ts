// An order's tickets by email: the message in the buyer's language with the order's PDF attached,
// queued first, then (if the caller wishes) sent at once. The queueing is what must not fail.
import type { CoreContext } from '../context.js';
import { invalid } from '../errors.js';
import { normaliseEmail } from '../customers/customers.js';
import { requireRole } from '../staff/permissions.js';
import { findOrderRow } from '../orders/view.js';
import { orderPrintables } from '../tickets/printable.js';
import { renderTicketsPdfBuffer, type TicketLayout } from '../tickets/pdf.js';
import { renderingEvent } from '../tickets/documents.js';
import type { DomainEvent } from '../outbox/outbox.js';
import { deliverMail, mailView, queuedTicketsMail, queueMail, queueMailOnce, type DeliveryReport, type MailView, type OutgoingMail } from './queue.js';
import { renderTicketsEmail } from './templates.js';
import type { SmtpSettings } from './settings.js';

export interface TicketsEmailRequest {
  order: string;
  /** The recipient; by default the order's customer. */
  to?: string;
  lang: string;
  /** The attachment's layout: A4 (print at home) by default. */
  layout?: TicketLayout;
  /** The From to fix on the mail now (null: whatever is configured when it is sent). */
  from?: string | null;
}

/** The tickets email of an order, rendered with its PDF, and the events to record when it is queued. */
async function ticketsEmail(ctx: CoreContext, request: TicketsEmailRequest): Promise<{ mail: OutgoingMail & { orderId: number }; extra: DomainEvent[] }> {
  const order = await findOrderRow(ctx.db, request.order);
  let to = request.to;
  if (to === undefined) {
    const customer = order.customer_id ? await ctx.db.selectFrom('customers').select('email').where('id', '=', order.customer_id).executeTakeFirst() : undefined;
    if (!customer) throw invalid(`order ${order.code} has no email address`, 'say where to send it').because('order_has_no_email', { order: order.code });
    to = customer.email;
  }
  to = normaliseEmail(to);
  const { tickets } = await orderPrintables(ctx, order.code);
  const layout = request.layout ?? 'a4';
  const rendered = await renderTicketsPdfBuffer(tickets, { layout, lang: request.lang, title: `Tickets ${order.code}` });
  const email = renderTicketsEmail(request.lang, tickets, tickets[0].holderName);
  return {
    mail: {
      kind: 'tickets',
      orderId: order.id,
      lang: request.lang,
      to,
      from: request.from ?? null,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachment: { filename: email.attachmentName, contentType: 'application/pdf', content: rendered.pdf },
    },
    extra: [renderingEvent({ order: order.code, eventId: order.event_id, layout, lang: request.lang, tickets: rendered.tickets, pages: rendered.pages }, 'email')],
  };
}

/** Renders the tickets email and its PDF and puts it in the mail queue (nothing is sent here). */
export async function queueTicketsEmail(ctx: CoreContext, request: TicketsEmailRequest): Promise<MailView> {
  requireRole(ctx.actor, 'sell');
  const { mail, extra } = await ticketsEmail(ctx, request);
  return queueMail(ctx, mail, extra);
}

export interface TicketsEmailOutcome {
  mail: MailView;
  /** Why it was not sent now (it waits in the queue), or null when it was sent. */
  notSent: string | null;
}

/**
 * Queues the tickets email, then tries to send it once. A missing SMTP setting or a mail server
 * that refuses or is down leaves the mail queued for `mail retry`; that is reported, not thrown.
 */
export async function emailTickets(ctx: CoreContext, request: TicketsEmailRequest, settings: SmtpSettings | null): Promise<TicketsEmailOutcome> {
  const queued = await queueTicketsEmail(ctx, { ...request, from: request.from ?? settings?.from ?? null });
  return sendNow(ctx, queued, settings);
}

/**
 * The tickets email a sale sends (`sell --send`): one per order, however many times the sale is
 * asked for. A replay of the sale's idempotency key reports (and sends, if it is still waiting)
 * the mail the first request queued, even when both run at once (queueMailOnce); else the mail is
 * queued and tried once, as emailTickets does.
 */
export async function emailSaleTickets(ctx: CoreContext, request: TicketsEmailRequest & { replayed: boolean }, settings: SmtpSettings | null): Promise<TicketsEmailOutcome> {
  requireRole(ctx.actor, 'sell');
  // A replay mostly finds the first request's mail: no PDF rendered for nothing.
  const earlier = request.replayed ? await queuedTicketsMail(ctx, request.order) : undefined;
  if (earlier) return sendNow(ctx, earlier, settings);
  const { mail, extra } = await ticketsEmail(ctx, { ...request, from: request.from ?? settings?.from ?? null });
  return sendNow(ctx, (await queueMailOnce(ctx, mail, extra)).mail, settings);
}

/** Tries to send a queued mail once (unless sent already); a failure is reported, not thrown. */
async function sendNow(ctx: CoreContext, queued: MailView, settings: SmtpSettings | null): Promise<TicketsEmailOutcome> {
  if (queued.status === 'sent') return { mail: queued, notSent: null };
  if (!settings) return { mail: queued, notSent: 'no mail server is set (BOXOFFICE_SMTP_URL)' };
  let report: DeliveryReport;
  try {
    report = await deliverMail(ctx, { settings, ids: [queued.id] });
  } catch (err) {
    return { mail: queued, notSent: err instanceof Error ? err.message : String(err) };
  }
  const sent = report.sent.find((m) => m.id === queued.id);
  if (sent) return { mail: sent, notSent: null };
  if (report.alreadySent.includes(queued.id)) return { mail: await mailView(ctx, queued.id), notSent: null };
  const failed = report.failed.find((m) => m.id === queued.id);
  return { mail: failed ?? queued, notSent: failed?.lastError ?? 'it is being sent by another process' };
}
