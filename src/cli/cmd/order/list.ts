import { listOrders, type OrderSummary } from '../../../core/orders/view.js';
import { findEvent } from '../../../core/events/events.js';
import { invalid } from '../../../core/errors.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printJson, printTable } from '../../runtime/output.js';
import { money, rawMoney, statusLabel, statusStyle } from '../../runtime/render.js';

export const STATUSES = ['pending', 'paid', 'cancelled', 'expired', 'refunded', 'partially_refunded'];

export function printOrders(io: IO, orders: OrderSummary[]) {
  printTable(io, orders, [
    { header: 'code', value: (o) => o.code },
    { header: 'status', value: (o) => statusLabel(o.status), style: (o) => statusStyle(o.status), raw: (o) => o.status },
    { header: 'event', value: (o) => o.event },
    { header: 'tickets', value: (o) => o.tickets, align: 'right' },
    { header: 'total', value: (o) => money(o.total, o.currency), raw: (o) => rawMoney(o.total, o.currency), align: 'right' },
    { header: 'currency', value: (o) => o.currency },
    { header: 'customer', value: (o) => o.customer },
    { header: 'operator', value: (o) => o.operator },
    { header: 'created', value: (o) => o.createdAt.slice(0, 16).replace('T', ' '), raw: (o) => o.createdAt },
  ]);
}

export interface ListOptions {
  event?: string;
  status?: string;
}

/** `boxoffice order list`: every order, or one event's, or one status's (manager). */
export async function runList(io: IO, session: CoreSession, opts: ListOptions): Promise<void> {
  const { ctx, global } = session;
  const eventId = opts.event ? (await findEvent(ctx.db, opts.event)).event.id : undefined;
  if (opts.status && !STATUSES.includes(opts.status)) {
    throw invalid(`unknown status ${JSON.stringify(opts.status)}`, `use one of: ${STATUSES.join(', ')}`);
  }
  const orders = await listOrders(ctx, { event: eventId, status: opts.status });
  if (global.json) return printJson(io, orders);
  printOrders(io, orders);
}
