// Getting tickets to people from the command line: the settings lookups (flag, then env, then
// the config file) and the steps a sale takes after it succeeded (--pdf, --send), which report
// their own failures and never undo or fail the sale.
import { invalid } from '../../core/errors.js';
import { checkOutputTarget } from '../../core/output-file.js';
import { resolveLanguage } from '../../core/tickets/assets.js';
import { parseLayout, type TicketLayout } from '../../core/tickets/pdf.js';
import { printSettings, type PrintSettings } from '../../core/tickets/print.js';
import { smtpSettings, type SmtpSettings } from '../../core/mail/settings.js';
import type { MailView } from '../../core/mail/queue.js';
import type { CoreSession } from './context.js';
import type { IO } from './io.js';
import { say } from './output.js';
import { shellWord } from './shell-word.js';

/** SMTP settings: BOXOFFICE_SMTP_URL / BOXOFFICE_SMTP_FROM, else `config set smtp.url|smtp.from`. */
export function mailSettingsOf(session: Pick<CoreSession, 'setting'>): SmtpSettings | null {
  return smtpSettings({ BOXOFFICE_SMTP_URL: session.setting('smtp.url'), BOXOFFICE_SMTP_FROM: session.setting('smtp.from') });
}

/** The print command: BOXOFFICE_PRINT_COMMAND, else `config set printCommand`, else lp. */
export function printSettingsOf(session: Pick<CoreSession, 'setting'>, env: NodeJS.ProcessEnv): PrintSettings {
  return printSettings({ BOXOFFICE_PRINT_COMMAND: session.setting('printCommand'), BOXOFFICE_PRINTER: env.BOXOFFICE_PRINTER });
}

/** The language: --lang, else BOXOFFICE_LANG, else `config set lang`, else English. */
export function languageOf(session: Pick<CoreSession, 'setting'>, option: string | undefined): string {
  return resolveLanguage(option, { BOXOFFICE_LANG: session.setting('lang') });
}

export interface SaleDeliveryOptions {
  pdf?: string;
  layout?: string;
  send?: boolean;
  lang?: string;
  email?: string;
  /** With --pdf: replace an existing file. */
  force?: boolean;
}

export interface CheckedSaleDelivery {
  pdf?: string;
  force: boolean;
  layout: TicketLayout;
  send: boolean;
  lang: string;
}

/** Validates `sell --pdf/--send` before the sale, so a mistake there is refused with nothing sold. */
export function checkSaleDelivery(session: Pick<CoreSession, 'setting'>, opts: SaleDeliveryOptions): CheckedSaleDelivery {
  if (opts.send && !opts.email) throw invalid('--send needs --email: the address to send the tickets to');
  return {
    // The file is checked before the sale: nothing is sold when the PDF could not be written.
    pdf: opts.pdf !== undefined ? checkOutputTarget(opts.pdf, { force: opts.force }) : undefined,
    force: Boolean(opts.force),
    layout: parseLayout(opts.layout),
    send: Boolean(opts.send),
    lang: languageOf(session, opts.lang),
  };
}

export interface SaleDeliveryResult {
  /** On failure, `retry` is the command that makes the PDF again. */
  pdf?: { file: string; tickets: number; pages: number; layout: TicketLayout } | { file: string; error: string; retry: string };
  mail?: { id: number; to: string; status: MailView['status']; messageId: string; error: string | null } | { error: string; retry: string };
}

/**
 * After a sale: writes the PDF and queues and tries the email as asked. Every failure is caught
 * and returned: the sale has happened and stays reported as such.
 */
export async function deliverSale(session: CoreSession, orderCode: string, checked: CheckedSaleDelivery, replayed: boolean): Promise<SaleDeliveryResult> {
  const result: SaleDeliveryResult = {};
  // Stopped (Ctrl-C) after the sale: what is not begun is left to the retry the warning names.
  const notIfStopped = () => {
    if (session.stop?.held) throw new Error('interrupted before it was begun');
  };
  if (checked.pdf) {
    try {
      notIfStopped();
      const { writeOrderPdf } = await import('../../core/tickets/documents.js');
      const pdf = await writeOrderPdf(session.ctx, orderCode, checked.pdf, { layout: checked.layout, lang: checked.lang, force: checked.force });
      result.pdf = { file: pdf.file as string, tickets: pdf.tickets, pages: pdf.pages, layout: pdf.layout };
    } catch (err) {
      const layout = checked.layout === 'a4' ? '' : ` --layout ${checked.layout}`;
      result.pdf = { file: checked.pdf, error: messageOf(err), retry: `boxoffice tickets pdf ${orderCode} -o ${shellWord(checked.pdf)}${layout}${langOption(checked.lang)}` };
    }
  }
  if (checked.send) {
    try {
      notIfStopped();
      const { emailSaleTickets } = await import('../../core/mail/tickets-mail.js');
      // A replayed sale (same idempotency key) reports the mail its first request queued.
      const outcome = await emailSaleTickets(session.ctx, { order: orderCode, lang: checked.lang, replayed }, mailSettingsOf(session));
      result.mail = { id: outcome.mail.id, to: outcome.mail.to, status: outcome.mail.status, messageId: outcome.mail.messageId, error: outcome.notSent };
    } catch (err) {
      result.mail = { error: messageOf(err), retry: `boxoffice tickets email ${orderCode}${langOption(checked.lang)}` };
    }
  }
  return result;
}

const langOption = (lang: string) => (lang === 'en' ? '' : ` --lang ${lang}`);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

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
