import type { Command } from 'commander';
import { listOrders, showOrder } from '../../../core/orders/view.js';
import { payOrder } from '../../../core/orders/sale.js';
import { cancelOrder } from '../../../core/orders/lifecycle.js';
import { refundOrder } from '../../../core/orders/refund.js';
import { findEvent } from '../../../core/events/events.js';
import { expireHolds } from '../../../core/orders/lifecycle.js';
import { invalid } from '../../../core/errors.js';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { confirmDestructive } from '../../runtime/prompt.js';
import { printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { money, printOrder, rawMoney, statusLabel, statusStyle } from '../../runtime/render.js';
import type { IO } from '../../runtime/io.js';
import type { OrderSummary } from '../../../core/orders/view.js';

const STATUSES = ['pending', 'paid', 'cancelled', 'expired', 'refunded', 'partially_refunded'];

function printOrders(io: IO, orders: OrderSummary[]) {
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

export function registerOrder(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const order = program.command('order').description('orders: show, find, pay a hold, cancel, refund').addHelpText('after', examples('boxoffice order find Silva', 'boxoffice order show K7P3QX', 'boxoffice order pay K7P3QX --pay cash --tendered 50', 'boxoffice order refund K7P3QX --tickets 0K3… --yes'));

  order
    .command('show <code>')
    .description('an order with its tickets and payments')
    .addHelpText('after', examples('boxoffice order show K7P3QX', 'boxoffice order show k7p3qx --json'))
    .action(async (code: string, _opts: unknown, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => printOrder(io, await showOrder(ctx, code), Boolean(global.json))),
    );

  order
    .command('list')
    .description('orders, newest first (manager; a clerk finds one with: order find)')
    .option('--event <event>', 'only this event')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .addHelpText('after', examples('boxoffice order list', 'boxoffice order list --event Hamlet --status paid --json'))
    .action(async (opts: { event?: string; status?: string }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const eventId = opts.event ? (await findEvent(ctx.db, opts.event)).event.id : undefined;
        if (opts.status && !STATUSES.includes(opts.status)) {
          throw invalid(`unknown status ${JSON.stringify(opts.status)}`, `use one of: ${STATUSES.join(', ')}`);
        }
        const orders = await listOrders(ctx, { event: eventId, status: opts.status });
        if (global.json) return printJson(io, orders);
        printOrders(io, orders);
      }),
    );

  order
    .command('find <text>')
    .description('find orders by code, name, email or phone')
    .addHelpText(
      'after',
      `${examples('boxoffice order find ana@example.com', 'boxoffice order find "Silva"', 'boxoffice order find K7P3QX --json')}
A manager's search matches any part of a code, name, email or phone. A clerk's matches a whole
code, email or phone, or at least 3 letters of a name: it finds the person at the window, it
does not list everyone.
`,
    )
    .action(async (text: string, _opts: unknown, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const orders = await listOrders(ctx, { text });
        if (global.json) return printJson(io, orders);
        printOrders(io, orders);
      }),
    );

  order
    .command('pay <code>')
    .description('pay a held order before its hold expires; issues the tickets')
    .requiredOption('--pay <method>', 'cash, card, comp (manager) or external')
    .option('--tendered <amount>', 'cash handed over (default: the exact total)')
    .option('--card-ref <ref>', "the card terminal's reference (card)")
    .option('--ref <ref>', 'the reference from another channel (external)')
    .option('--email <email>', "the buyer's email")
    .option('--name <name>', 'the name on the tickets')
    .option('--idempotency-key <key>', 'retrying with the same key never charges twice')
    .addHelpText('after', examples('boxoffice order pay K7P3QX --pay cash --tendered 50', 'boxoffice order pay K7P3QX --pay card --card-ref 8841'))
    .action(async (code: string, opts: { pay: string; tendered?: string; cardRef?: string; ref?: string; email?: string; name?: string; idempotencyKey?: string }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const result = await payOrder(ctx, {
          code,
          payment: { method: opts.pay, tendered: opts.tendered, cardRef: opts.cardRef, ref: opts.ref },
          email: opts.email,
          name: opts.name,
          idempotencyKey: opts.idempotencyKey,
        });
        printOrder(io, result, Boolean(global.json), result.replayed ? `Order ${result.code} (already paid with this idempotency key)` : `Paid order ${result.code}`);
      }, { write: 'nothing was paid' }),
    );

  order
    .command('cancel <code>')
    .description('cancel an unpaid (held) order and free its seats; a paid order is refunded instead')
    .option('--reason <text>', 'why')
    .addHelpText('after', examples('boxoffice order cancel K7P3QX'))
    .action(async (code: string, opts: { reason?: string }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const result = await cancelOrder(ctx, code, opts.reason);
        printOrder(io, result, Boolean(global.json), `Order ${result.code} is ${result.status}; its seats are free again`);
      }, { write: 'nothing was cancelled' }),
    );

  order
    .command('refund <code>')
    .description('refund an order to its original payment method (manager): all of it, some tickets, or an amount')
    .option('--tickets <codes>', 'refund and void only these ticket codes, comma-separated')
    .option('--amount <amount>', 'give back this much money, keeping the tickets valid')
    .option('--reason <text>', 'why')
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'show what would be refunded, change nothing')
    .addHelpText('after', examples('boxoffice order refund K7P3QX --dry-run', 'boxoffice order refund K7P3QX --yes', 'boxoffice order refund K7P3QX --tickets 0K3…,7QX… --reason "could not come"', 'boxoffice order refund K7P3QX --amount 5.00 --reason "late start"'))
    .action(async (code: string, opts: { tickets?: string; amount?: string; reason?: string; yes?: boolean; dryRun?: boolean }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const request = { code, tickets: opts.tickets, amount: opts.amount, reason: opts.reason };
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
      }, { write: 'nothing was refunded' }),
    );

  program
    .command('expire')
    .description('end every hold whose time has run out and free its seats (sales do this for their own event too)')
    .addHelpText('after', examples('boxoffice expire', 'boxoffice expire --json'))
    .action(async (_opts: unknown, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const result = await expireHolds(ctx);
        if (global.json) return printJson(io, result);
        say(io, result.expired.length ? `Expired ${result.expired.length} hold(s): ${result.expired.join(', ')}` : 'No holds were due to expire.');
      }),
    );
}
