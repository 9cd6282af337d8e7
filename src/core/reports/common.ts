// Shared by the reports: business days in the venue's time zone, exact money splits, and the
// payments with the tickets they paid for.
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/transaction.js';
import { paymentQuery, paymentView, type PaymentView } from '../orders/payment-query.js';
import { parseLocalDateTime, valueInvalid } from '../time.js';
import { ticketQuery, type TicketStatus } from '../tickets/query.js';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone: a sale at 00:30 in Lisbon is that day's. */
export function localDay(isoUtc: string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(isoUtc));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function parseDay(input: string, what: string): string {
  const text = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw valueInvalid(what, `must be a day such as 2027-03-01, not ${JSON.stringify(input)}`);
  // A day that exists (not 2027-02-30), in the years 1970 to 9999.
  parseLocalDateTime(text, 'UTC', what);
  return text;
}

/**
 * Splits `total` in proportion to `weights` in whole minor units that add up exactly (largest
 * remainder), so a report's parts always sum to what was paid.
 */
export function allocate(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]]++;
  return out;
}

/** JSON with keys in a fixed order, so the same value always has the same bytes (and hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A payment or refund with its order and event, as the reports add them up. */
export interface LedgerPayment extends PaymentView {
  orderId: number;
  eventId: number;
  eventName: string;
  timezone: string;
}

export interface LedgerTicket {
  id: number;
  orderId: number;
  tier: string;
  price: number;
  status: TicketStatus;
  voidedAt: string | null;
  /** Reissued: a replacement took its place (it is not a separate sale). */
  replaced: boolean;
  /** A replacement of a lost ticket (not a separate sale either). */
  replacement: boolean;
}

/** Payments and refunds (oldest first), optionally for one event, operator or time window. */
export async function loadPayments(db: Queryable, filter: { eventId?: number; operator?: string; after?: string | null; until?: string } = {}): Promise<LedgerPayment[]> {
  let q = paymentQuery(db).orderBy('payments.id');
  if (filter.eventId !== undefined) q = q.where('orders.event_id', '=', filter.eventId);
  if (filter.operator !== undefined) q = q.where('payments.operator_name', '=', filter.operator);
  if (filter.after) q = q.where('payments.created_at', '>', filter.after);
  if (filter.until) q = q.where('payments.created_at', '<=', filter.until);
  return (await q.execute()).map((p) => ({ ...paymentView(p), orderId: p.order_id, eventId: p.event_id, eventName: p.event_name, timezone: p.timezone }));
}

/** The tickets of these orders, by order. */
export async function loadTickets(db: Queryable, orderIds: number[]): Promise<Map<number, LedgerTicket[]>> {
  const byOrder = new Map<number, LedgerTicket[]>();
  const ids = [...new Set(orderIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ticketQuery(db)
      .where('tickets.order_id', 'in', ids.slice(i, i + 500))
      .orderBy('tickets.id')
      .execute();
    for (const t of rows) {
      const list = byOrder.get(t.order_id) ?? [];
      list.push({
        id: t.id,
        orderId: t.order_id,
        tier: t.tier,
        price: t.price,
        status: t.status,
        voidedAt: t.voided_at,
        replaced: t.replaced_by_code !== null,
        replacement: t.replaces_id !== null,
      });
      byOrder.set(t.order_id, list);
    }
  }
  return byOrder;
}

/** The tickets an order sold (its originals; reissues replace, they do not add). */
export function soldTickets(tickets: LedgerTicket[] | undefined): LedgerTicket[] {
  return (tickets ?? []).filter((t) => !t.replacement);
}
