// Marketing leads, converted (and linked to the order) when their email pays for an order.
import { foldKey } from '../../db/fold.js';
import type { Queryable, Trx } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Lead, Order } from '../../db/schema.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';
import { normaliseEmail } from './customers.js';
import { plainText } from '../text.js';

export interface LeadView {
  id: number;
  email: string;
  name: string | null;
  source: string | null;
  eventId: number | null;
  consent: boolean;
  createdAt: string;
  convertedOrder: string | null;
  convertedAt: string | null;
}

export async function addLead(
  ctx: CoreContext,
  input: { email: string; name?: string; source?: string; event?: string; consent?: boolean },
): Promise<LeadView> {
  requireRole(ctx.actor, 'sell');
  const email = normaliseEmail(input.email);
  plainText(input.name, 'lead name');
  plainText(input.source, 'lead source');
  return writeTransaction(ctx.db, async (trx) => {
    const eventId = input.event ? (await findEvent(trx, input.event)).event.id : null;
    const lead = await trx
      .insertInto('leads')
      .values({
        email,
        email_key: foldKey(email),
        name: input.name ?? null,
        source: input.source ?? null,
        event_id: eventId,
        consent: input.consent ? 1 : 0,
        created_at: nowIso(ctx),
        converted_order_id: null,
        converted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvents(trx, ctx, [{ type: 'lead.created', subject: `lead/${lead.id}`, data: { id: lead.id, email, source: lead.source, eventId } }]);
    return (await leadViews(trx, lead.id))[0];
  });
}

/** Every lead: a bulk read of personal data, for managers and admins. */
export async function listLeads(ctx: CoreContext): Promise<LeadView[]> {
  requireRole(ctx.actor, 'read_personal_data', { what: 'list leads' });
  return leadViews(ctx.db);
}

async function leadViews(db: Queryable, id?: number): Promise<LeadView[]> {
  let q = db.selectFrom('leads').leftJoin('orders', 'orders.id', 'leads.converted_order_id').selectAll('leads').select('orders.code as order_code');
  if (id !== undefined) q = q.where('leads.id', '=', id);
  const rows = await q.orderBy('leads.id').execute();
  return rows.map((l: Lead & { order_code: string | null }) => ({
    id: l.id,
    email: l.email,
    name: l.name,
    source: l.source,
    eventId: l.event_id,
    consent: l.consent === 1,
    createdAt: l.created_at,
    convertedOrder: l.order_code,
    convertedAt: l.converted_at,
  }));
}

/**
 * Marks this email's unconverted leads as converted by `order`, inside the payment's transaction.
 * One conditional update (`where converted_order_id is null`), and only the rows it changed are
 * told: when two payments of one email race (PostgreSQL), the second waits for the first's row
 * locks, finds the leads converted and leaves them to the first order.
 */
export async function convertLeads(trx: Trx, ctx: CoreContext, email: string, order: Order, events: DomainEvent[]): Promise<void> {
  const leads = await trx
    .updateTable('leads')
    .set({ converted_order_id: order.id, converted_at: nowIso(ctx) })
    .where('email_key', '=', foldKey(email))
    .where('converted_order_id', 'is', null)
    .returning('id')
    .execute();
  leads.sort((a, b) => a.id - b.id);
  for (const l of leads) events.push({ type: 'lead.converted', subject: `lead/${l.id}`, data: { id: l.id, order: order.code } });
}
