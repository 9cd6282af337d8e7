// The command line's side of getting tickets to people (src/app/delivery.ts does the work):
// `sell --pdf/--send` checked and reported, with the command that tries again on a failure.
import { invalid } from '../../core/errors.js';
import { checkSaleDelivery as checkDelivery, deliverSale as deliver, type CheckedSaleDelivery, type SaleDelivered } from '../../app/delivery.js';
import type { MailView } from '../../core/mail/queue.js';
import type { TicketLayout } from '../../core/tickets/pdf.js';
import type { CoreSession } from './context.js';
import type { IO } from './io.js';
import { say } from './output.js';
import { shellWord } from './shell-word.js';

export { languageOf, mailSettingsOf, printSettingsOf } from '../../app/settings.js';
export type { CheckedSaleDelivery };

export interface SaleDeliveryOptions {
  pdf?: string;
  layout?: string;
  send?: boolean;
  lang?: string;
  email?: string;
  /** With --pdf: replace an existing file. */
  force?: boolean;
}

/** Validates `sell --pdf/--send` before the sale, so a mistake there is refused with nothing sold. */
export function checkSaleDelivery(session: Pick<CoreSession, 'setting'>, opts: SaleDeliveryOptions): CheckedSaleDelivery {
  if (opts.send && !opts.email) throw invalid('--send needs --email: the address to send the tickets to');
  return checkDelivery(session, opts);
}

export interface SaleDeliveryResult {
  /** On failure, `retry` is the command that makes the PDF again. */
  pdf?: { file: string; tickets: number; pages: number; layout: TicketLayout } | { file: string; error: string; retry: string };
  mail?: { id: number; to: string; status: MailView['status']; messageId: string; error: string | null } | { error: string; retry: string };
}

/**
 * After a sale: writes the PDF and queues and tries the email as asked (src/app), each failure
 * returned with the command that tries again. Stopped (Ctrl-C) after the sale, what is not begun
 * is left to that retry.
 */
export async function deliverSale(session: CoreSession, orderCode: string, checked: CheckedSaleDelivery, replayed: boolean): Promise<SaleDeliveryResult> {
  return withRetries(await deliver(session.ctx, session, orderCode, checked, replayed, () => Boolean(session.stop?.held)), orderCode, checked);
}

function withRetries(done: SaleDelivered, orderCode: string, checked: CheckedSaleDelivery): SaleDeliveryResult {
  const result: SaleDeliveryResult = {};
  if (done.pdf) {
    const layout = checked.layout === 'a4' ? '' : ` --layout ${checked.layout}`;
    result.pdf = 'error' in done.pdf ? { ...done.pdf, retry: `boxoffice tickets pdf ${orderCode} -o ${shellWord(done.pdf.file)}${layout}${langOption(checked.lang)}` } : done.pdf;
  }
  if (done.mail) result.mail = 'id' in done.mail ? done.mail : { ...done.mail, retry: `boxoffice tickets email ${orderCode}${langOption(checked.lang)}` };
  return result;
}

const langOption = (lang: string) => (lang === 'en' ? '' : ` --lang ${lang}`);

/**
 * Says what happened to the PDF and the email, after the order itself was printed: to stderr,
 * where a failure is a warning with the command that tries again (also under --json, whose
 * stdout holds the same in `pdf`/`mail`); `warningsOnly` leaves out what went well.
 */
export function reportSaleDelivery(io: IO, result: SaleDeliveryResult, warningsOnly = false): void {
  if (result.pdf) {
    if ('error' in result.pdf) {
      say(io, `the sale is done, but the PDF was not written: ${result.pdf.error}`, { text: 'warning:', style: 'yellow' });
      say(io, `  make it again with: ${result.pdf.retry}`);
    } else if (!warningsOnly) {
      say(io, `Tickets PDF: ${result.pdf.file} (${result.pdf.tickets} ticket${result.pdf.tickets === 1 ? '' : 's'})`);
    }
  }
  if (result.mail) {
    if (!('id' in result.mail)) {
      say(io, `the sale is done, but the tickets email was not queued: ${result.mail.error}`, { text: 'warning:', style: 'yellow' });
      say(io, `  send it with: ${result.mail.retry}`);
    } else if (result.mail.status === 'sent') {
      if (!warningsOnly) say(io, `Emailed the tickets to ${result.mail.to}.`);
    } else {
      say(io, `the tickets email to ${result.mail.to} is queued (mail ${result.mail.id}) but not sent yet: ${result.mail.error}`, { text: 'warning:', style: 'yellow' });
      say(io, '  it is sent by: boxoffice mail retry');
    }
  }
}
