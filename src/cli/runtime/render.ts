// How orders, events and venues look to people. JSON output is the core's view objects as they are.
import { formatMajor, formatMoney } from '../../core/money.js';
import { formatInZone } from '../../core/time.js';
import type { OrderView } from '../../core/orders/view.js';
import type { SaleResult } from '../../core/orders/sale.js';
import type { EventView } from '../../core/events/events.js';
import { paint, type IO, type Style } from './io.js';
import { displayWidth, oneLine, printFields, printJson } from './output.js';

export const money = (minor: number, currency: string) => formatMoney(minor, currency);
export const rawMoney = (minor: number, currency: string) => formatMajor(minor, currency);

/** An ISO time with offset, shown as wall-clock time at the venue. */
export function localTime(isoWithOffset: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(isoWithOffset);
  return m ? `${m[1]} ${m[2]}` : isoWithOffset;
}

const statusStyles: Record<string, Style> = {
  paid: 'green',
  on_sale: 'green',
  pending: 'yellow',
  valid: 'green',
  held: 'yellow',
  used: 'dim',
  void: 'red',
  cancelled: 'red',
  expired: 'red',
  refunded: 'red',
  partially_refunded: 'yellow',
};

/** A status as people read it (`on sale`), for a table cell or field with `statusStyle`. */
export const statusLabel = (status: string) => status.replace('_', ' ');
export const statusStyle = (status: string): Style => statusStyles[status] ?? 'dim';

function showStatus(io: IO, status: string): string {
  return paint(io, statusStyle(status), statusLabel(status));
}

/** An order for people: header, tickets, payments. */
export function printOrder(io: IO, order: OrderView | SaleResult, json: boolean, headline?: string): void {
  if (json) return printJson(io, order);
  if (headline) io.stdout.write(`${paint(io, 'bold', headline)}\n`);
  printFields(io, [
    ['order', order.code, 'bold'],
    ['status', statusLabel(order.status), statusStyle(order.status)],
    ['event', `${order.event.name} · ${order.event.venue} · ${localTime(order.event.startsAt)}`],
    ['total', money(order.total, order.currency)],
    ['customer', order.customer ? `${order.customer.name ? `${order.customer.name} ` : ''}<${order.customer.email}>` : (order.holderName ?? undefined)],
    ['expires', order.status === 'pending' && order.expiresAt ? clockTime(order.expiresAt, order.event.timezone) : undefined],
  ]);
  io.stdout.write('\n');
  const place = (t: OrderView['tickets'][number]) => oneLine(t.seat ?? `${t.section} (standing)`);
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
  const placeWidth = Math.max(14, ...order.tickets.map((t) => displayWidth(place(t))));
  const tierWidth = Math.max(12, ...order.tickets.map((t) => displayWidth(oneLine(t.tier))));
  for (const t of order.tickets) {
    io.stdout.write(`  ${pad(place(t), placeWidth)} ${pad(oneLine(t.tier), tierWidth)} ${money(t.price, t.currency).padStart(10)}  ${showStatus(io, t.status)}${t.code ? `  ${t.code}` : ''}\n`);
  }
  if (order.payments.length) io.stdout.write('\n');
  for (const p of order.payments) {
    const what = p.kind === 'refund' ? `refund (${p.method})` : p.method;
    const extra =
      p.method === 'cash' && p.kind === 'payment' && p.tendered !== null
        ? ` · tendered ${money(p.tendered, p.currency)} · change ${paint(io, 'bold', money(p.change ?? 0, p.currency))}`
        : p.reference
          ? ` · ref ${oneLine(p.reference)}`
          : '';
    io.stdout.write(`  ${what.padEnd(16)} ${money(p.amount, p.currency).padStart(10)}${extra}\n`);
  }
}

/** An instant as the venue's wall clock, e.g. `20:15:30` (with the date when it is not today there). */
export function clockTime(isoUtc: string, timeZone: string, now = new Date()): string {
  const local = formatInZone(isoUtc, timeZone);
  const today = formatInZone(now.toISOString(), timeZone).slice(0, 10);
  return local.slice(0, 10) === today ? local.slice(11, 19) : `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** An event in one printable line: name, venue, local start. */
export function eventLine(e: EventView): string {
  return oneLine(`${e.name} · ${e.venue.name} · ${localTime(e.startsAt)}`);
}
