// The tickets email, made from templates/email/<lang>/: a subject, a text body and an HTML body,
// with one line per ticket. Placeholders are {{name}}; values are HTML-escaped in the HTML.
import fs from 'node:fs';
import { formatMoney } from '../money.js';
import { templatePath } from '../tickets/assets.js';
import { ticketTime } from '../tickets/pdf.js';
import type { PrintableTicket } from '../tickets/printable.js';

interface EmailStrings {
  locale: string;
  subject: string;
  greeting: string;
  greetingNamed: string;
  seat: string;
  generalAdmission: string;
  attachment: string;
}

/** Marks a value as HTML already (inserted unescaped). */
class Html {
  constructor(readonly html: string) {}
}

type Values = Record<string, string | number | Html>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Fills `{{name}}` placeholders; a placeholder without a value is a template error, not a blank. */
export function fillTemplate(template: string, values: Values, html: boolean, name = 'template'): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name} uses {{${key}}}, which the tickets email does not provide`);
    if (value instanceof Html) return value.html;
    return html ? escapeHtml(String(value)) : String(value);
  });
}

function read(lang: string, file: string): string {
  return fs.readFileSync(templatePath('email', lang, file), 'utf8');
}

export interface TicketsEmail {
  subject: string;
  text: string;
  html: string;
  attachmentName: string;
}

/** The tickets email for an order's tickets (all of one order and event), in `lang`. */
export function renderTicketsEmail(lang: string, tickets: PrintableTicket[], holderName: string | null): TicketsEmail {
  if (tickets.length === 0) throw new Error('a tickets email needs at least one ticket');
  const strings = JSON.parse(read(lang, 'strings.json')) as EmailStrings;
  const first = tickets[0];
  const currency = first.currency;
  const total = tickets.reduce((sum, t) => sum + t.price, 0);
  const place = (t: PrintableTicket) =>
    t.row !== null && t.number !== null
      ? fillTemplate(strings.seat, { section: t.section, row: t.row, number: t.number }, false, 'strings.json seat')
      : fillTemplate(strings.generalAdmission, { section: t.section }, false, 'strings.json generalAdmission');
  const lineValues = (t: PrintableTicket): Values => ({
    place: place(t),
    tier: t.tier,
    price: formatMoney(t.price, t.currency, strings.locale),
    code: t.code,
  });
  const textLines = read(lang, 'ticket.txt').trimEnd();
  const htmlLines = read(lang, 'ticket.html').trimEnd();
  const common: Values = {
    order: first.orderCode,
    event: first.event.name,
    venue: first.event.venue,
    city: first.event.city,
    when: ticketTime(first.event.startsAt, first.event.timezone, strings.locale),
    count: tickets.length,
    total: formatMoney(total, currency, strings.locale),
    name: holderName ?? '',
  };
  const subject = fillTemplate(strings.subject, common, false, 'strings.json subject');
  const greeting = holderName ? fillTemplate(strings.greetingNamed, common, false, 'strings.json greetingNamed') : strings.greeting;
  const text = fillTemplate(
    read(lang, 'body.txt'),
    { ...common, subject, greeting, tickets: new Html(tickets.map((t) => fillTemplate(textLines, lineValues(t), false, 'ticket.txt')).join('\n')) },
    false,
    'body.txt',
  );
  const html = fillTemplate(
    read(lang, 'body.html'),
    { ...common, subject, greeting, tickets: new Html(tickets.map((t) => fillTemplate(htmlLines, lineValues(t), true, 'ticket.html')).join('\n')) },
    true,
    'body.html',
  );
  return { subject, text, html, attachmentName: fillTemplate(strings.attachment, common, false, 'strings.json attachment') };
}
