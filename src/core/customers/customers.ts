// Customers are matched or created by email when an order is paid.
import { sql } from '../../db/kysely.js';
import type { Queryable, Trx } from '../../db/transaction.js';
import type { Customer } from '../../db/schema.js';
import { invalid, notFound } from '../errors.js';
import { plainText } from '../text.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import type { DomainEvent } from '../outbox/outbox.js';

export function normaliseEmail(input: string): string {
  const email = plainText(input.trim(), 'email');
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid(`not an email address: ${JSON.stringify(input)}`);
  return email;
}

/** Finds the customer with this email (case-insensitive) or creates one; a new name fills a missing one. */
export async function matchOrCreateCustomer(
  trx: Trx,
  ctx: CoreContext,
  email: string,
  name: string | undefined,
  events: DomainEvent[],
): Promise<Customer> {
  const existing = await trx.selectFrom('customers').selectAll().where(sql`email`, '=', sql`${email} collate nocase`).executeTakeFirst();
  if (existing) {
    if (name && !existing.name) {
      await trx.updateTable('customers').set({ name }).where('id', '=', existing.id).execute();
      return { ...existing, name };
    }
    return existing;
  }
  const customer = await trx
    .insertInto('customers')
    .values({ email, name: name ?? null, phone: null, created_at: nowIso(ctx) })
    .returningAll()
    .executeTakeFirstOrThrow();
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

export async function listCustomers(db: Queryable): Promise<CustomerView[]> {
  const rows = await db
    .selectFrom('customers')
    .select((eb) => [
      'customers.id',
      'customers.email',
      'customers.name',
      'customers.phone',
      'customers.created_at',
      eb.selectFrom('orders').select((e) => e.fn.countAll<number>().as('n')).whereRef('orders.customer_id', '=', 'customers.id').as('orders'),
    ])
    .orderBy('customers.id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, phone: r.phone, orders: Number(r.orders ?? 0), createdAt: r.created_at }));
}

export async function findCustomer(db: Queryable, ref: string): Promise<CustomerView> {
  const text = ref.trim();
  const all = await listCustomers(db);
  const found = /^\d+$/.test(text) ? all.find((c) => c.id === Number(text)) : all.find((c) => c.email.toLowerCase() === text.toLowerCase());
  if (!found) throw notFound(`no customer ${JSON.stringify(text)}`);
  return found;
}
