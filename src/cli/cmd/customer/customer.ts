import type { Command } from 'commander';
import { sameName } from '../../../app/database.js';
import { findCustomer, listCustomers } from '../../../core/customers/customers.js';
import { listOrders } from '../../../core/orders/view.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printFields, printJson, printTable } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { money, statusLabel, statusStyle } from '../../runtime/render.js';

export async function runCustomerList(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>) {
  const rows = await listCustomers(ctx);
  if (global.json) return printJson(io, rows);
  printTable(io, rows, [
    { header: 'id', value: (c) => c.id, align: 'right' },
    { header: 'email', value: (c) => c.email },
    { header: 'name', value: (c) => c.name },
    { header: 'phone', value: (c) => c.phone },
    { header: 'orders', value: (c) => c.orders, align: 'right' },
    { header: 'since', value: (c) => c.createdAt.slice(0, 10), raw: (c) => c.createdAt },
  ]);
}

export async function runCustomerShow(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const c = await findCustomer(ctx, ref);
  const orders = (await listOrders(ctx, { text: c.email })).filter((o) => o.customer !== null && sameName(o.customer, c.email));
  if (global.json) return printJson(io, { ...c, orders });
  printFields(io, [
    ['customer', c.name ?? c.email],
    ['id', c.id],
    ['email', c.email],
    ['phone', c.phone ?? undefined],
    ['since', c.createdAt],
  ]);
  io.stdout.write('\n');
  printTable(io, orders, [
    { header: 'code', value: (o) => o.code },
    { header: 'status', value: (o) => statusLabel(o.status), style: (o) => statusStyle(o.status), raw: (o) => o.status },
    { header: 'event', value: (o) => o.event },
    { header: 'tickets', value: (o) => o.tickets, align: 'right' },
    { header: 'total', value: (o) => money(o.total, o.currency), align: 'right' },
  ]);
}

export function registerCustomer(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const customer = program
    .command('customer')
    .description('customers: made or matched by email when an order is paid')
    .addHelpText('after', examples('boxoffice customer list', 'boxoffice customer show ana@example.com --json'));

  customer
    .command('list')
    .description('list customers (manager)')
    .addHelpText('after', examples('boxoffice customer list', 'boxoffice customer list --json'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runCustomerList(io, session)));

  customer
    .command('show <customer>')
    .description('a customer (by email, or by id: manager) and their orders')
    .addHelpText('after', examples('boxoffice customer show ana@example.com', 'boxoffice customer show 4 --json'))
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runCustomerShow(io, session, ref)));
}
