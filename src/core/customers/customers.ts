// Customers are matched or created by email when an order is paid.
import { foldKey } from '../../db/fold.js';
import type { Trx } from '../../db/transaction.js';
import type { Customer } from '../../db/schema.js';
import { invalid, notFound } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import type { DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';

export function normaliseEmail(input: string): string {
  const email = plainText(input.trim(), 'email');
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid(`not an email address: ${JSON.stringify(input)}`);
  return email;
}

/**
 * Finds the customer with this email (case-insensitive: its key, src/db/fold.ts) or creates one;
 * a new name fills a missing one, and never replaces one. Correct when sales to one email race
 * (PostgreSQL): the unique index customers_email decides who creates the customer. The insert
 * does nothing when another transaction holds the key (PostgreSQL waits for it to commit), and
 * the customer it made is read and used, as the check would have found it; the sale's own
 * transaction goes on. Filling the name is a conditional update (`where` the name is still
 * missing): of two sales naming one nameless customer, the second waits for the first's row lock,
 * finds the name given and keeps it, as it would have one sale after the other.
 */
export async function matchOrCreateCustomer(trx: Trx, ctx: CoreContext, email: string, name: string | undefined, events: DomainEvent[]): Promise<Customer> {
  const byKey = () => trx.selectFrom('customers').selectAll().where('email_key', '=', foldKey(email)).executeTakeFirst();
  const fillName = async (customer: Customer): Promise<Customer> => {
    if (!name || customer.name) return customer;
    const filled = await trx
      .updateTable('customers')
      .set({ name })
      .where('id', '=', customer.id)
      .where((eb) => eb.or([eb('name', 'is', null), eb('name', '=', '')]))
      .executeTakeFirst();
    if (Number(filled.numUpdatedRows) === 1) return { ...customer, name };
    // Named by a sale that committed since it was read: that name stays.
    return (await byKey()) ?? customer;
  };
  const existing = await byKey();
  if (existing) return fillName(existing);
  const customer = await trx
    .insertInto('customers')
    .values({ email, email_key: foldKey(email), name: name ?? null, phone: null, created_at: nowIso(ctx) })
    .onConflict((oc) => oc.column('email_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!customer) {
    // Created meanwhile by another sale, perhaps without a name: this one's fills it.
    const theirs = await byKey();
    if (!theirs) throw new Error('internal: a customer email was taken and then gone');
    return fillName(theirs);
  }
  events.push({ type: 'customer.created', subject: `customer/${customer.id}`, data: { id: customer.id, email, name: customer.name } });
  return customer;
}

export interface CustomerView {
  id: number;
  email: string;
  name: string | null;
  phone: string | null;
  orders: number;
  createdAt: string;
}

/** Every customer: a bulk read of personal data, for managers and admins. */
export async function listCustomers(ctx: CoreContext): Promise<CustomerView[]> {
  requireRole(ctx.actor, 'read_personal_data', { what: 'list customers' });
  return customerViews(ctx);
}

/**
 * One customer, by email (whoever serves at the counter: the person in front of them says it) or
 * by id (managers and admins only: ids are counted 1, 2, 3…, so a clerk could read them all).
 */
export async function findCustomer(ctx: CoreContext, ref: string): Promise<CustomerView> {
  const text = ref.trim();
  const byId = /^\d+$/.test(text);
  if (byId) requireRole(ctx.actor, 'read_personal_data', { what: 'look up a customer by id', hint: 'look them up by their email', reason: 'customer_by_id' });
  else requireRole(ctx.actor, 'look_up_orders', { what: 'look up customers' });
  const [found] = await customerViews(ctx, byId ? { id: Number(text) } : { email: text });
  if (!found) throw notFound(`no customer ${JSON.stringify(text)}`);
  return found;
}

/** A customer with their count of orders: the one query the customer views and the customers export share. */
export function customerQuery({ db }: CoreContext) {
  return db.selectFrom('customers').select((eb) => [
    'customers.id',
    'customers.email',
    'customers.name',
    'customers.phone',
    'customers.created_at',
    eb
      .selectFrom('orders')
      .select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('orders.customer_id', '=', 'customers.id')
      .as('orders'),
  ]);
}

async function customerViews(ctx: CoreContext, only: { id?: number; email?: string } = {}): Promise<CustomerView[]> {
  let q = customerQuery(ctx);
  if (only.id !== undefined) q = q.where('customers.id', '=', only.id);
  if (only.email !== undefined) q = q.where('customers.email_key', '=', foldKey(only.email));
  const rows = await q.orderBy('customers.id').execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, phone: r.phone, orders: Number(r.orders ?? 0), createdAt: r.created_at }));
}
