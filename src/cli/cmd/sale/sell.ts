import { sellSeats } from '../../../core/orders/sale.js';
import { findEvent } from '../../../core/events/events.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printOrder } from '../../runtime/render.js';
import { checkSaleDelivery, deliverSale, reportSaleDelivery, type SaleDeliveryOptions } from '../../runtime/delivery.js';
import { parsePayment, parseSelection, parseTierSpec, type PaymentFlags, type SelectionFlags } from '../../runtime/parse.js';
import type { BuyerFlags } from './hold.js';

export interface SellOptions extends SelectionFlags, BuyerFlags, PaymentFlags, SaleDeliveryOptions {
  event: string;
  tier: string;
  idempotencyKey?: string;
}

/** `boxoffice sell <event>`: sells and takes payment, then makes the PDF or sends the email asked for. */
export async function runSell(io: IO, session: CoreSession, opts: SellOptions): Promise<void> {
  const { ctx, global } = session;
  const delivery = checkSaleDelivery(session, opts);
  const selection = parseSelection(opts);
  const tier = parseTierSpec(opts.tier);
  const payment = await parsePayment(opts, async () => (await findEvent(ctx.db, opts.event)).event.currency);
  const order = await sellSeats(ctx, { event: opts.event, ...selection, tier, payment, email: opts.email, name: opts.name, idempotencyKey: opts.idempotencyKey });
  const delivered = delivery.pdf || delivery.send ? await deliverSale(session, order.code, delivery, order.replayed) : {};
  printOrder(io, { ...order, ...delivered }, Boolean(global.json), order.replayed ? `Order ${order.code} (already made with this idempotency key; nothing charged again)` : `Sold order ${order.code}`);
  reportSaleDelivery(io, delivered, Boolean(global.json));
}
