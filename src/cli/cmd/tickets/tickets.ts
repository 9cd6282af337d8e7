import type { Command } from 'commander';
import { invalid } from '../../../core/errors.js';
import { checkOutputTarget } from '../../../core/output-file.js';
import { normaliseOrderCode } from '../../../core/codes.js';
import { formatMoney } from '../../../core/money.js';
import { humanTime } from '../../../core/time.js';
import { reissueTicket } from '../../../core/tickets/checkin.js';
import { parseLayout } from '../../../core/tickets/pdf.js';
import { ticketDetails, type TicketDetails } from '../../../core/tickets/printable.js';
import { emailTickets, printTickets, writeTicketsPdf } from '../../../app/delivery.js';
import { languageOf } from '../../../app/settings.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { paint, type IO } from '../../runtime/io.js';
import { printFields, printJson, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { outputFileHelp } from '../../runtime/file-help.js';
import { statusLabel, statusStyle } from '../../runtime/render.js';

export interface PdfOptions {
  output?: string;
  force?: boolean;
  layout?: string;
  lang?: string;
  event?: string;
}

function pages(n: number): string {
  return `${n} page${n === 1 ? '' : 's'}`;
}

function tickets(n: number): string {
  return `${n} ticket${n === 1 ? '' : 's'}`;
}

function place(t: TicketDetails): string {
  return t.row !== null && t.number !== null ? `${t.section}, row ${t.row}, seat ${t.number}  (${t.seat})` : `${t.section} (general admission)`;
}

async function terminalQr(text: string): Promise<string> {
  const mod = (await import('qrcode-terminal')) as unknown as { default?: QrTerminal } & QrTerminal;
  const qr = mod.default ?? mod;
  return new Promise((resolve) => qr.generate(text, { small: true }, resolve));
}

interface QrTerminal {
  generate(text: string, options: { small: boolean }, callback: (qr: string) => void): void;
}

function printTicket(io: IO, t: TicketDetails): void {
  printFields(io, [
    ['ticket', t.code, 'bold'],
    ['status', statusLabel(t.status), statusStyle(t.status)],
    ['event', `${t.event.name} · ${t.event.venue}, ${t.event.city} · ${humanTime(t.event.startsAt, t.event.timezone)}`],
    ['place', place(t)],
    ['tier', `${t.tier} · ${formatMoney(t.price, t.currency)}`],
    ['order', t.order],
    ['holder', t.holderName ?? undefined],
    ['issued', t.issuedAt ?? undefined],
    ['checked in', t.checkedIn ? `${t.checkedIn.at}${t.checkedIn.gate ? ` at gate ${t.checkedIn.gate}` : ''} by ${t.checkedIn.operator}` : undefined],
    ['voided', t.voidedAt ?? undefined],
    ['replaces', t.replaces ?? undefined],
    ['replaced by', t.replacedBy ?? undefined],
  ]);
}

type Session = Pick<CoreSession, 'ctx' | 'global' | 'setting'>;

/** `boxoffice tickets pdf`: an order's tickets (to a file or stdout), or every valid ticket of an event. */
export async function runTicketsPdf(io: IO, session: Session, orderRef: string | undefined, opts: PdfOptions): Promise<void> {
  const { ctx, global } = session;
  if (orderRef !== undefined && opts.event !== undefined) throw invalid('give an order or --event, not both');
  if (orderRef === undefined && opts.event === undefined) throw invalid('say which tickets: an order code, or --event E', 'boxoffice tickets pdf K7P3QX');
  const layout = parseLayout(opts.layout);
  const lang = languageOf(session, opts.lang);
  const documents = await import('../../../core/tickets/documents.js');
  if (opts.event !== undefined) {
    if (opts.output === '-') throw invalid("a whole event's tickets go to a file, not stdout", 'use -o FILE');
    // The role first: a clerk is refused before hearing how many tickets there are.
    const event = await documents.eventToPrint(ctx, opts.event);
    const file = checkOutputTarget(opts.output ?? `tickets-event-${event.id}.pdf`, { force: opts.force });
    if (!global.json) say(io, `Rendering ${tickets(event.tickets)} for ${event.name}…`);
    const result = await documents.writeEventPdf(ctx, String(event.id), file, { layout, lang, force: opts.force });
    if (global.json) return printJson(io, result);
    say(io, `Wrote ${tickets(result.tickets)} (${pages(result.pages)}, ${layout}) for ${result.event} to ${result.file}`);
    return;
  }
  const code = normaliseOrderCode(orderRef as string);
  if (opts.output === '-') {
    if (io.isTTY) throw invalid('not writing a PDF to the terminal', 'redirect it (-o - > file.pdf) or give -o FILE');
    const result = await documents.streamOrderPdf(ctx, code, io.stdout, { layout, lang });
    say(io, `Wrote ${tickets(result.tickets)} for order ${result.order} to stdout`);
    return;
  }
  const file = checkOutputTarget(opts.output ?? `tickets-${code}.pdf`, { force: opts.force });
  const result = await writeTicketsPdf(ctx, code, file, { layout, lang, force: opts.force });
  if (global.json) return printJson(io, result);
  say(io, `Wrote ${tickets(result.tickets)} (${pages(result.pages)}, ${layout}) for order ${result.order} to ${result.file}`);
  say(io, `Print it: boxoffice tickets print ${result.order}  ·  email it: boxoffice tickets email ${result.order}`);
}

export interface PrintOptions {
  printer?: string;
  layout?: string;
  lang?: string;
  output?: string;
  force?: boolean;
}

/** `boxoffice tickets print`: the PDF handed to the print command. */
export async function runTicketsPrint(io: IO, session: Session, orderRef: string, opts: PrintOptions): Promise<void> {
  const { ctx, global } = session;
  const layout = parseLayout(opts.layout);
  const lang = languageOf(session, opts.lang);
  const file = opts.output !== undefined ? checkOutputTarget(opts.output, { force: opts.force }) : undefined;
  const result = await printTickets(ctx, session, io.env, { order: orderRef, printer: opts.printer, file, layout, lang, force: opts.force });
  if (global.json) return printJson(io, result);
  say(
    io,
    `Sent ${tickets(result.tickets)} of order ${result.order} to ${result.printer ? `printer ${result.printer}` : 'the default printer'} (${result.command[0]})${result.kept ? `; PDF kept at ${result.file}` : ''}`,
  );
}

export interface EmailOptions {
  to?: string;
  lang?: string;
}

/** `boxoffice tickets email`: queued, then tried once; a mail server that is down leaves it queued. */
export async function runTicketsEmail(io: IO, session: Session, orderRef: string, opts: EmailOptions): Promise<void> {
  const { ctx, global } = session;
  const lang = languageOf(session, opts.lang);
  const { settings, ...outcome } = await emailTickets(ctx, session, { order: orderRef, to: opts.to, lang });
  if (global.json) return printJson(io, { ...outcome.mail, error: outcome.notSent });
  if (!outcome.notSent) {
    say(io, `Emailed the tickets of order ${outcome.mail.order} to ${outcome.mail.to} (${lang}).`);
    return;
  }
  say(io, `tickets of order ${outcome.mail.order} to ${outcome.mail.to} (mail ${outcome.mail.id}): ${outcome.notSent}`, { text: 'Queued, not sent yet:', style: 'yellow' });
  say(io, settings ? 'It is sent by: boxoffice mail retry' : 'Set a mail server (BOXOFFICE_SMTP_URL or: boxoffice config set smtp.url smtp://user:pass@host:587), then: boxoffice mail retry');
}

/** `boxoffice tickets show`: a ticket's details, and its QR code on a terminal. */
export async function runTicketsShow(io: IO, session: Pick<CoreSession, 'ctx' | 'global'>, code: string): Promise<void> {
  const ticket = await ticketDetails(session.ctx, code);
  if (session.global.json) return printJson(io, ticket);
  printTicket(io, ticket);
  if (io.isTTY && ticket.status === 'valid') io.stdout.write(`\n${await terminalQr(ticket.code)}\n`);
}

/** `boxoffice tickets reissue`: a lost ticket's code voided, a new one issued for the same seat. */
export async function runTicketsReissue(io: IO, session: Pick<CoreSession, 'ctx' | 'global'>, code: string): Promise<void> {
  const { ctx, global } = session;
  const result = await reissueTicket(ctx, code);
  const ticket = await ticketDetails(ctx, result.code);
  if (global.json) return printJson(io, { ...ticket, old: result.old });
  io.stdout.write(`${paint(io, 'bold', 'Reissued')}: ${result.old} is void; the new code is ${paint(io, 'bold', result.code)}\n`);
  printTicket(io, ticket);
  say(io, `Give the holder the new ticket: boxoffice tickets pdf ${result.order}  ·  boxoffice tickets email ${result.order}`);
}

export function registerTickets(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const group = program
    .command('tickets')
    .description('tickets out: PDFs, printing, email, the QR code on screen, reissuing a lost ticket')
    .addHelpText(
      'after',
      examples(
        'boxoffice tickets pdf K7P3QX',
        'boxoffice tickets print K7P3QX --printer boca --layout stock',
        'boxoffice tickets email K7P3QX --lang pt',
        'boxoffice tickets show 3M8Q4ZK0WJ2B5N7T9V1XCD6EFG',
      ),
    );

  group
    .command('pdf [order]')
    .description("an order's tickets as a PDF (A4 sheets with cut marks, or ticket stock); --event for all of an event's tickets")
    .option('-o, --output <file>', 'where to write it (default tickets-<order>.pdf; - for stdout)')
    .option('--force', 'replace the file if it exists')
    .option('--layout <layout>', 'a4 (four a page, cut marks) or stock (one a page, 5.5 × 2 in thermal ticket stock)', 'a4')
    .option('--lang <lang>', 'language of the printed words (en, pt; default BOXOFFICE_LANG or en)')
    .option('--event <event>', 'every valid ticket of this event in one PDF, streamed to disk (manager)')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice tickets pdf K7P3QX                      # writes tickets-K7P3QX.pdf',
        'boxoffice tickets pdf K7P3QX -o ana.pdf --layout stock',
        'boxoffice tickets pdf K7P3QX -o - | lp            # to stdout',
        'boxoffice tickets pdf K7P3QX -o ana.pdf --force     # replaces ana.pdf',
        'boxoffice tickets pdf --event Hamlet -o hamlet-all.pdf --json',
      )}${outputFileHelp('The PDF holds valid ticket codes: it')}`,
    )
    .action(async (orderRef: string | undefined, opts: PdfOptions, cmd: Command) => withCore(deps, cmd, (session) => runTicketsPdf(io, session, orderRef, opts)));

  group
    .command('print <order>')
    .description("print an order's tickets: the PDF goes to the print command (default: lp -d PRINTER FILE)")
    .option('--printer <name>', 'the printer (default BOXOFFICE_PRINTER, else the system default)')
    .option('--layout <layout>', 'a4 or stock (thermal ticket printer)', 'a4')
    .option('--lang <lang>', 'language of the printed words (en, pt)')
    .option('-o, --output <file>', 'keep the PDF here too (else a spool file, removed once printed)')
    .option('--force', 'with -o: replace the file if it exists')
    .addHelpText(
      'after',
      examples(
        'boxoffice tickets print K7P3QX',
        'boxoffice tickets print K7P3QX --printer boca --layout stock',
        'BOXOFFICE_PRINT_COMMAND="lpr -P {printer} {file}" boxoffice tickets print K7P3QX --printer office',
        'boxoffice config set printCommand "lp -d {printer} -o media=Custom.2x5.5in {file}"',
        'boxoffice tickets print K7P3QX -o copy.pdf --force    # keeps the PDF, replacing copy.pdf',
      ),
    )
    .action(async (orderRef: string, opts: PrintOptions, cmd: Command) => withCore(deps, cmd, (session) => runTicketsPrint(io, session, orderRef, opts)));

  group
    .command('email <order>')
    .description("email an order's tickets (PDF attached) in the buyer's language; queued first, so nothing is lost if the mail server is down")
    .option('--to <email>', "the recipient (default: the order's customer)")
    .option('--lang <lang>', 'en or pt (default BOXOFFICE_LANG, else en)')
    .addHelpText(
      'after',
      examples(
        'boxoffice tickets email K7P3QX',
        'boxoffice tickets email K7P3QX --to joao@example.pt --lang pt',
        'BOXOFFICE_SMTP_URL=smtp://user:pass@127.0.0.1:2525 BOXOFFICE_SMTP_FROM=tickets@theatre.pt boxoffice tickets email K7P3QX',
      ),
    )
    .action(async (orderRef: string, opts: EmailOptions, cmd: Command) => withCore(deps, cmd, (session) => runTicketsEmail(io, session, orderRef, opts)));

  group
    .command('show <code>')
    .description("a ticket's details, and its QR code on a terminal")
    .addHelpText('after', examples('boxoffice tickets show 3M8Q4ZK0WJ2B5N7T9V1XCD6EFG', 'boxoffice tickets show 3m8q-4zk0-wj2b-5n7t-9v1x-cd6e-fg --json'))
    .action(async (code: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runTicketsShow(io, session, code)));

  group
    .command('reissue <ticket-code>')
    .description('a lost ticket: void its code and issue a new one for the same seat (manager)')
    .addHelpText('after', examples('boxoffice tickets reissue 3M8Q4ZK0WJ2B5N7T9V1XCD6EFG', 'boxoffice tickets reissue "$CODE" --json'))
    .action(async (code: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runTicketsReissue(io, session, code), { write: 'the ticket was not reissued' }));
}
