import { payOrder } from '../../../core/orders/sale.js';
import { orderCurrency } from '../../../core/orders/view.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printOrder } from '../../runtime/render.js';
import { parsePayment, type PaymentFlags } from '../../runtime/parse.js';
import type { BuyerFlags } from '../sale/hold.js';

export interface PayOptions extends PaymentFlags, BuyerFlags {
  code: string;
  idempotencyKey?: string;
}

/** `boxoffice order pay <code>`: pays a held order. */
export async function runPay(io: IO, session: CoreSession, opts: PayOptions): Promise<void> {
  const { ctx, global } = session;
  const payment = await parsePayment(opts, () => orderCurrency(ctx, opts.code));
  const result = await payOrder(ctx, { code: opts.code, payment, email: opts.email, name: opts.name, idempotencyKey: opts.idempotencyKey });
  printOrder(io, result, Boolean(global.json), result.replayed ? `Order ${result.code} (already paid with this idempotency key)` : `Paid order ${result.code}`);
}
