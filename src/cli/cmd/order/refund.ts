import { refundOrder } from '../../../core/orders/refund.js';
import { orderCurrency } from '../../../core/orders/view.js';
import { parseMoney } from '../../../core/money.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { say } from '../../runtime/output.js';
import { confirmDestructive } from '../../runtime/prompt.js';
import { money, printOrder } from '../../runtime/render.js';
import { parseTicketCodes } from '../../runtime/parse.js';

export interface RefundOptions {
  code: string;
  tickets?: string;
  amount?: string;
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
}

/** `boxoffice order refund <code>`: rehearsed, confirmed, then made. */
export async function runRefund(io: IO, session: CoreSession, opts: RefundOptions): Promise<void> {
  const { ctx, global } = session;
  const tickets = opts.tickets === undefined ? undefined : parseTicketCodes(opts.tickets);
  // Both given: the core refuses the pair before any amount is read (in the order's currency).
  const amount = opts.amount === undefined ? undefined : tickets !== undefined ? 0 : parseMoney(opts.amount, await orderCurrency(ctx, opts.code), 'refund amount');
  const request = { code: opts.code, tickets, amount, reason: opts.reason };
  // Rehearsed first: a refund that would be refused fails before anyone is asked to confirm it.
  const plan = await refundOrder(ctx, { ...request, dryRun: true });
  const planned = plan.payments[plan.payments.length - 1];
  if (opts.dryRun) {
    return printOrder(io, plan, Boolean(global.json), `Dry run: would refund ${money(planned.amount, planned.currency)} (${planned.method}) on order ${plan.code}; nothing changed`);
  }
  const question = `Refund ${money(planned.amount, planned.currency)} (${planned.method}) on order ${plan.code}${opts.tickets ? `, voiding ${opts.tickets.split(',').length} ticket(s)` : ''}?`;
  if (!(await confirmDestructive(io, question, opts.yes))) return say(io, 'Nothing refunded.');
  const result = await refundOrder(ctx, request);
  const last = result.payments[result.payments.length - 1];
  printOrder(io, result, Boolean(global.json), `Refunded ${money(last.amount, last.currency)} (${last.method}) on order ${result.code}`);
}
