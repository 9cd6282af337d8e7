// The receipt's print, email and save-PDF actions and the open TUI's mail retry: the same
// application calls as `boxoffice tickets print|email|pdf` and `mail retry` (src/app/delivery.ts),
// with the same settings, worded for the screen. pdfkit and nodemailer load on first use.
import type { CoreContext } from '../core/context.js';
import { emailTickets, printTickets, retryDueMail, saveTicketsPdf } from '../app/delivery.js';
import { languageOf, type DeliverySettings } from '../app/settings.js';
import type { TicketActions } from './services.js';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `pdfDir` is where the receipt saves PDFs (tickets-<order>.pdf, -2… when taken: the screen has no --force). */
export function receiptActions(settings: DeliverySettings, ctx: CoreContext, env: NodeJS.ProcessEnv, pdfDir = process.cwd()): TicketActions {
  const lang = languageOf(settings, undefined);
  return {
    async savePdf(order) {
      const pdf = await saveTicketsPdf(ctx, settings, order, pdfDir);
      return `Saved ${plural(pdf.tickets, 'ticket')} to ${pdf.file}`;
    },
    async print(order) {
      const result = await printTickets(ctx, settings, env, { order, layout: 'a4', lang });
      return `Sent ${plural(result.tickets, 'ticket')} to ${result.printer ? `printer ${result.printer}` : 'the default printer'} (${result.command[0]})`;
    },
    async email(order) {
      const outcome = await emailTickets(ctx, settings, { order, lang });
      if (!outcome.notSent) return `Emailed the tickets to ${outcome.mail.to}`;
      return `Queued for ${outcome.mail.to}, not sent yet: ${outcome.notSent} (it is retried while the TUI is open, and by boxoffice mail retry)`;
    },
    async retryDueMail() {
      return (await retryDueMail(ctx, settings))?.sent.length ?? 0;
    },
  };
}
