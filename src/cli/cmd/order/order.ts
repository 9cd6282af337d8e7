import type { Command } from 'commander';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { examples } from '../../runtime/help.js';
import { runShow } from './show.js';
import { runList, STATUSES, type ListOptions } from './list.js';
import { runFind } from './find.js';
import { runPay, type PayOptions } from './pay.js';
import { runCancel } from './cancel.js';
import { runRefund, type RefundOptions } from './refund.js';
import { runExpire } from './expire.js';

export function registerOrder(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const order = program
    .command('order')
    .description('orders: show, find, pay a hold, cancel, refund')
    .addHelpText(
      'after',
      examples('boxoffice order find Silva', 'boxoffice order show K7P3QX', 'boxoffice order pay K7P3QX --pay cash --tendered 50', 'boxoffice order refund K7P3QX --tickets 0K3… --yes'),
    );

  order
    .command('show <code>')
    .description('an order with its tickets and payments')
    .addHelpText('after', examples('boxoffice order show K7P3QX', 'boxoffice order show k7p3qx --json'))
    .action(async (code: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runShow(io, session, { code })));

  order
    .command('list')
    .description('orders, newest first (manager; a clerk finds one with: order find)')
    .option('--event <event>', 'only this event')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .addHelpText('after', examples('boxoffice order list', 'boxoffice order list --event Hamlet --status paid --json'))
    .action(async (opts: ListOptions, cmd: Command) => withCore(deps, cmd, (session) => runList(io, session, opts)));

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
    .action(async (text: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runFind(io, session, { text })));

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
    .action(async (code: string, opts: Omit<PayOptions, 'code'>, cmd: Command) => withCore(deps, cmd, (session) => runPay(io, session, { ...opts, code }), { write: 'nothing was paid' }));

  order
    .command('cancel <code>')
    .description('cancel an unpaid (held) order and free its seats; a paid order is refunded instead')
    .option('--reason <text>', 'why')
    .addHelpText('after', examples('boxoffice order cancel K7P3QX'))
    .action(async (code: string, opts: { reason?: string }, cmd: Command) => withCore(deps, cmd, (session) => runCancel(io, session, { ...opts, code }), { write: 'nothing was cancelled' }));

  order
    .command('refund <code>')
    .description('refund an order to its original payment method (manager): all of it, some tickets, or an amount')
    .option('--tickets <codes>', 'refund and void only these ticket codes, comma-separated')
    .option('--amount <amount>', 'give back this much money, keeping the tickets valid')
    .option('--reason <text>', 'why')
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'show what would be refunded, change nothing')
    .addHelpText(
      'after',
      examples(
        'boxoffice order refund K7P3QX --dry-run',
        'boxoffice order refund K7P3QX --yes',
        'boxoffice order refund K7P3QX --tickets 0K3…,7QX… --reason "could not come"',
        'boxoffice order refund K7P3QX --amount 5.00 --reason "late start"',
      ),
    )
    .action(async (code: string, opts: Omit<RefundOptions, 'code'>, cmd: Command) => withCore(deps, cmd, (session) => runRefund(io, session, { ...opts, code }), { write: 'nothing was refunded' }));

  program
    .command('expire')
    .description('end every hold whose time has run out and free its seats (sales do this for their own event too)')
    .addHelpText('after', examples('boxoffice expire', 'boxoffice expire --json'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runExpire(io, session)));
}
