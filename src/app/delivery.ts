// Getting tickets to people, for both fronts: the PDF, the printer and the email after a sale and
// again on demand, and the mail that waits for its server. Heavy modules (pdfkit, nodemailer)
// load on first use. Results are data; each front words them.
import path from 'node:path';
import type { CoreContext } from '../core/context.js';
import { BoxofficeError } from '../core/errors.js';
import { checkOutputTarget } from '../core/output-file.js';
import { parseLayout, type TicketLayout } from '../core/tickets/pdf.js';
import type { PdfResult } from '../core/tickets/documents.js';
import type { PrintResult } from '../core/tickets/print.js';
import type { MailView, DeliveryReport } from '../core/mail/queue.js';
import type { TicketsEmailOutcome } from '../core/mail/tickets-mail.js';
import type { SmtpSettings } from '../core/mail/settings.js';
import { languageOf, mailSettingsOf, printSettingsOf, type DeliverySettings } from './settings.js';

export interface SaleDeliveryRequest {
  /** Where to write the tickets' PDF. */
  pdf?: string;
  layout?: string;
  /** Email the tickets to the order's customer. */
  send?: boolean;
  lang?: string;
  /** With `pdf`: replace an existing file. */
  force?: boolean;
}

export interface CheckedSaleDelivery {
  pdf?: string;
  force: boolean;
  layout: TicketLayout;
  send: boolean;
  lang: string;
}

/** Checks what is to be delivered before the sale, so a mistake there is refused with nothing sold. */
export function checkSaleDelivery(settings: DeliverySettings, request: SaleDeliveryRequest): CheckedSaleDelivery {
  return {
    // The file is checked before the sale: nothing is sold when the PDF could not be written.
    pdf: request.pdf !== undefined ? checkOutputTarget(request.pdf, { force: request.force }) : undefined,
    force: Boolean(request.force),
    layout: parseLayout(request.layout),
    send: Boolean(request.send),
    lang: languageOf(settings, request.lang),
  };
}

export interface SaleDelivered {
  pdf?: { file: string; tickets: number; pages: number; layout: TicketLayout } | { file: string; error: string };
  mail?: { id: number; to: string; status: MailView['status']; messageId: string; error: string | null } | { error: string };
}

/**
 * After a sale: writes the PDF and queues and tries the email as asked. Every failure is caught
 * and returned: the sale has happened and stays reported as such. `stopped` says the operator
 * asked to stop meanwhile: what is not begun is then left undone (and returned as a failure).
 */
export async function deliverSale(
  ctx: CoreContext,
  settings: DeliverySettings,
  orderCode: string,
  checked: CheckedSaleDelivery,
  replayed: boolean,
  stopped: () => boolean = () => false,
): Promise<SaleDelivered> {
  const result: SaleDelivered = {};
  const notIfStopped = () => {
    if (stopped()) throw new Error('interrupted before it was begun');
  };
  if (checked.pdf) {
    try {
      notIfStopped();
      const { writeOrderPdf } = await import('../core/tickets/documents.js');
      const pdf = await writeOrderPdf(ctx, orderCode, checked.pdf, { layout: checked.layout, lang: checked.lang, force: checked.force });
      result.pdf = { file: pdf.file as string, tickets: pdf.tickets, pages: pdf.pages, layout: pdf.layout };
    } catch (err) {
      result.pdf = { file: checked.pdf, error: messageOf(err) };
    }
  }
  if (checked.send) {
    try {
      notIfStopped();
      const { emailSaleTickets } = await import('../core/mail/tickets-mail.js');
      // A replayed sale (same idempotency key) reports the mail its first request queued.
      const outcome = await emailSaleTickets(ctx, { order: orderCode, lang: checked.lang, replayed }, mailSettingsOf(settings));
      result.mail = { id: outcome.mail.id, to: outcome.mail.to, status: outcome.mail.status, messageId: outcome.mail.messageId, error: outcome.notSent };
    } catch (err) {
      result.mail = { error: messageOf(err) };
    }
  }
  return result;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An order's tickets as a PDF file (`file` checked by the caller, or by checkOutputTarget here with `force`). */
export async function writeTicketsPdf(ctx: CoreContext, orderCode: string, file: string, options: { layout: TicketLayout; lang: string; force?: boolean }): Promise<PdfResult> {
  const { writeOrderPdf } = await import('../core/tickets/documents.js');
  return writeOrderPdf(ctx, orderCode, file, options);
}

/**
 * Saves an order's PDF in `dir` as tickets-<order>.pdf, or -2, -3… when that is taken: for a
 * front with no way to say "replace it", saving twice must neither fail nor replace a file.
 */
export async function saveTicketsPdf(ctx: CoreContext, settings: DeliverySettings, orderCode: string, dir: string): Promise<PdfResult> {
  return writeTicketsPdf(ctx, orderCode, freePdfName(dir, orderCode), { layout: 'a4', lang: languageOf(settings, undefined) });
}

function freePdfName(dir: string, order: string): string {
  for (let n = 1; ; n++) {
    try {
      return checkOutputTarget(path.resolve(dir, `tickets-${order}${n === 1 ? '' : `-${n}`}.pdf`));
    } catch (err) {
      if (!(err instanceof BoxofficeError && err.code === 'already_exists') || n >= 99) throw err;
    }
  }
}

/** Prints an order's tickets with the print command the settings name (keeping the PDF at `file` when given). */
export async function printTickets(
  ctx: CoreContext,
  settings: DeliverySettings,
  env: NodeJS.ProcessEnv,
  request: { order: string; printer?: string; file?: string; layout: TicketLayout; lang: string; force?: boolean },
): Promise<PrintResult> {
  const { printOrderTickets } = await import('../core/tickets/print.js');
  return printOrderTickets(ctx, { ...request, settings: printSettingsOf(settings, env) });
}

/** Queues an order's tickets email and tries it once; `settings` is null when no mail server is set (it waits queued). */
export async function emailTickets(
  ctx: CoreContext,
  settings: DeliverySettings,
  request: { order: string; to?: string; lang: string },
): Promise<TicketsEmailOutcome & { settings: SmtpSettings | null }> {
  const smtp = mailSettingsOf(settings);
  const { emailTickets: queueAndTry } = await import('../core/mail/tickets-mail.js');
  return { ...(await queueAndTry(ctx, request, smtp)), settings: smtp };
}

export interface DueMailReport extends DeliveryReport {
  /** Mail still unsent after this round (counted only when some failed). */
  stillUnsent?: number;
}

/**
 * Sends the queued mail that is due, if a mail server is set (null when none is). `quick` is for
 * a command that has just finished: a short wait for the server, and one failure leaves the rest
 * for later. Cheap when nothing is due: one count.
 */
export async function retryDueMail(ctx: CoreContext, settings: DeliverySettings, options: { quick?: boolean } = {}): Promise<DueMailReport | null> {
  const smtp = mailSettingsOf(settings);
  if (!smtp) return null;
  const { unsentCount, deliverMail } = await import('../core/mail/queue.js');
  if (options.quick) {
    if ((await unsentCount(ctx)).due === 0) return { sent: [], failed: [], busy: [], alreadySent: [] };
    const report: DueMailReport = await deliverMail(ctx, { settings: smtp, connectTimeoutMs: 3_000, stopAtFirstFailure: true });
    if (report.failed.length) report.stillUnsent = (await unsentCount(ctx)).unsent;
    return report;
  }
  return deliverMail(ctx, { settings: smtp });
}
