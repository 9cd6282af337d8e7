// `boxoffice report sales`: tickets, gross, refunds and net per event, tier, payment method,
// operator and day (in the venue's time zone). Comps are counted apart: they take no money.
// Net always equals what was paid minus what was refunded, to the cent.
import type { CoreContext } from '../context.js';
import type { PaymentMethod } from '../orders/payment.js';
import { foldKey } from '../../db/fold.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';
import { allocate, loadPayments, loadTickets, localDay, parseDay, soldTickets, type LedgerTicket } from './common.js';

export interface SalesFilter {
  event?: string;
  /** First and last day (YYYY-MM-DD, in each venue's time zone), inclusive. */
  from?: string;
  to?: string;
  operator?: string;
}

export interface SalesRow {
  eventId: number;
  event: string;
  tier: string;
  method: PaymentMethod;
  operator: string;
  day: string;
  currency: string;
  /** Tickets sold for money. */
  tickets: number;
  gross: number;
  refundedTickets: number;
  refunds: number;
  net: number;
  /** Complimentary tickets and their face value (not in gross or net). */
  comps: number;
  compValue: number;
}

export interface SalesTotal {
  currency: string;
  tickets: number;
  gross: number;
  refundedTickets: number;
  refunds: number;
  net: number;
  comps: number;
  compValue: number;
  /** Straight from the payments table, as a cross-check: net = paid − refunded. */
  paid: number;
  refunded: number;
}

export interface SalesReport {
  rows: SalesRow[];
  totals: SalesTotal[];
  /** Net per day and currency, for the chart. */
  days: { day: string; currency: string; net: number }[];
}

export async function salesReport(ctx: CoreContext, filter: SalesFilter = {}): Promise<SalesReport> {
  requireRole(ctx.actor, 'reports');
  const from = filter.from !== undefined ? parseDay(filter.from, 'from') : undefined;
  const to = filter.to !== undefined ? parseDay(filter.to, 'to') : undefined;
  const eventId = filter.event !== undefined ? (await findEvent(ctx.db, filter.event)).event.id : undefined;
  const operator = filter.operator === undefined ? undefined : foldKey(filter.operator.trim());

  const payments = (await loadPayments(ctx.db, { eventId })).filter((p) => {
    const day = localDay(p.createdAt, p.timezone);
    return (!from || day >= from) && (!to || day <= to) && (!operator || foldKey(p.operator) === operator);
  });
  const tickets = await loadTickets(
    ctx.db,
    payments.map((p) => p.orderId),
  );

  const rows = new Map<string, SalesRow>();
  const row = (p: (typeof payments)[number], tier: string): SalesRow => {
    const day = localDay(p.createdAt, p.timezone);
    const key = [p.eventId, tier, p.method, p.operator, day, p.currency].join('\u0000');
    let r = rows.get(key);
    if (!r) {
      r = {
        eventId: p.eventId,
        event: p.eventName,
        tier,
        method: p.method,
        operator: p.operator,
        day,
        currency: p.currency,
        tickets: 0,
        gross: 0,
        refundedTickets: 0,
        refunds: 0,
        net: 0,
        comps: 0,
        compValue: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  const totals = new Map<string, SalesTotal>();
  const total = (currency: string) => {
    let t = totals.get(currency);
    if (!t) totals.set(currency, (t = { currency, tickets: 0, gross: 0, refundedTickets: 0, refunds: 0, net: 0, comps: 0, compValue: 0, paid: 0, refunded: 0 }));
    return t;
  };

  for (const p of payments) {
    const all = tickets.get(p.orderId) ?? [];
    const sold = soldTickets(all);
    const fallbackTier = sold[0]?.tier ?? '(none)';
    if (p.kind === 'payment') {
      total(p.currency).paid += p.amount;
      if (p.method === 'comp') {
        for (const t of sold) {
          const r = row(p, t.tier);
          r.comps++;
          r.compValue += t.price;
        }
        // A comp takes nothing, but a non-zero amount would still be money in: never drop it.
        if (p.amount > 0) row(p, fallbackTier).gross += p.amount;
        continue;
      }
      const shares = allocate(
        p.amount,
        sold.map((t) => t.price),
      );
      if (sold.length === 0 && p.amount > 0) row(p, fallbackTier).gross += p.amount;
      sold.forEach((t, i) => {
        const r = row(p, t.tier);
        r.tickets++;
        r.gross += shares[i];
      });
      continue;
    }
    // A refund: to the tiers of the tickets it voided when their prices account for it, else in
    // proportion to what the order sold (a refund of an amount voids nothing).
    total(p.currency).refunded += p.amount;
    const voided = all.filter((t) => t.status === 'void' && t.voidedAt === p.createdAt && !t.replaced);
    const voidedSum = voided.reduce((s, t) => s + t.price, 0);
    const basis: LedgerTicket[] = voided.length && (voidedSum === p.amount || p.method === 'comp') ? voided : sold;
    const shares = allocate(
      p.amount,
      basis.map((t) => (p.method === 'comp' ? 1 : t.price)),
    );
    if (basis.length === 0) row(p, fallbackTier).refunds += p.amount;
    basis.forEach((t, i) => {
      row(p, t.tier).refunds += shares[i];
    });
    for (const t of voided) row(p, t.tier).refundedTickets++;
  }

  const list = [...rows.values()];
  for (const r of list) {
    r.net = r.gross - r.refunds;
    const t = total(r.currency);
    t.tickets += r.tickets;
    t.gross += r.gross;
    t.refundedTickets += r.refundedTickets;
    t.refunds += r.refunds;
    t.net += r.net;
    t.comps += r.comps;
    t.compValue += r.compValue;
  }
  list.sort(
    (a, b) =>
      a.day.localeCompare(b.day) || a.event.localeCompare(b.event) || a.eventId - b.eventId || a.tier.localeCompare(b.tier) || a.method.localeCompare(b.method) || a.operator.localeCompare(b.operator),
  );
  const days = new Map<string, { day: string; currency: string; net: number }>();
  for (const r of list) {
    const k = `${r.day}|${r.currency}`;
    const d = days.get(k) ?? { day: r.day, currency: r.currency, net: 0 };
    d.net += r.net;
    days.set(k, d);
  }
  return { rows: list, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)), days: [...days.values()] };
}
