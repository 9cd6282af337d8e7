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
import { prepared } from '../../db/prepared.js';
import { setWithKey, type FieldChanges } from '../changes.js';

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

export async function addLead(ctx: CoreContext, input: { email: string; name?: string; source?: string; event?: string; consent?: boolean }): Promise<LeadView> {
  requireRole(ctx.actor, 'sell');
  const email = normaliseEmail(input.email);
  plainText(input.name, 'lead name');
  plainText(input.source, 'lead source');
  return writeTransaction(ctx.db, async (trx) => {
    const eventId = input.event ? (await findEvent(trx, input.event)).event.id : null;
    const [id] = await insertLeads(trx, ctx, [{ email, name: input.name ?? null, source: input.source ?? null, event_id: eventId, consent: input.consent ? 1 : 0, external_id: null }], nowIso(ctx));
    return (await leadViews(trx, id))[0];
  });
}

/** A new lead's fields, as the command and imports give them. */
export type NewLead = {
  email: string;
  name: string | null;
  source: string | null;
  event_id: number | null;
  consent: number;
  external_id: string | null;
};

/** New leads inserted by one statement (8 values each); fewer go one by one. */
export const LEADS_PER_INSERT = 100;
const leadFields = ['email', 'name', 'source', 'event_id', 'consent', 'external_id'] as const;
/** The parameter names of the multi-row insert: `email0`, `name0`, … `external_id99`. */
const leadParams = Array.from({ length: LEADS_PER_INSERT }, (_, i) => leadFields.map((f) => `${f}${i}`));

// The keys are parameters of their own: `p` holds stand-ins here, not values (prepared.ts).
const insertLead = prepared((db, p: NewLead & { email_key: string; created_at: string }) =>
  db
    .insertInto('leads')
    .values({
      email: p.email,
      email_key: p.email_key,
      name: p.name,
      source: p.source,
      event_id: p.event_id,
      consent: p.consent,
      external_id: p.external_id,
      created_at: p.created_at,
    })
    .returning('id'),
);

const insertLeadRows = prepared((db, p: Record<string, unknown>) =>
  db
    .insertInto('leads')
    .values(
      leadParams.map(([email, name, source, eventId, consent, externalId]) => ({
        email: p[email] as string,
        email_key: p[`${email}_key`] as string,
        name: p[name] as string | null,
        source: p[source] as string | null,
        event_id: p[eventId] as number | null,
        consent: p[consent] as number,
        external_id: p[externalId] as string | null,
        created_at: p.created_at as string,
      })),
    )
    .returning('id'),
);

/**
 * The one writer of new leads, inside the caller's transaction (`lead add`'s, an import's): the
 * rows, created at `now`, and a `lead.created` event each. Exactly LEADS_PER_INSERT leads go in
 * one statement, fewer one by one (prepared statements both). Returns their ids, in order.
 */
export async function insertLeads(trx: Trx, ctx: CoreContext, leads: NewLead[], now: string): Promise<number[]> {
  const ids: number[] = [];
  if (leads.length === LEADS_PER_INSERT) {
    const params: Record<string, unknown> = { created_at: now };
    leads.forEach((c, i) => {
      const [email, name, source, eventId, consent, externalId] = leadParams[i];
      params[email] = c.email;
      params[`${email}_key`] = foldKey(c.email);
      params[name] = c.name;
      params[source] = c.source;
      params[eventId] = c.event_id;
      params[consent] = c.consent;
      params[externalId] = c.external_id;
    });
    // Ids come back in insertion order once sorted (ascending rowids within one INSERT).
    ids.push(...(await insertLeadRows.all(trx, params)).map((r) => r.id).sort((x, y) => x - y));
  } else {
    for (const c of leads) {
      // Named fields, not `{ ...c }`: measured, the spread copies outlived young-generation
      // collections, and the heap grew by some 30 MB per 100,000 leads until a full collection.
      ids.push(
        await insertLead.insert(trx, {
          email: c.email,
          email_key: foldKey(c.email),
          name: c.name,
          source: c.source,
          event_id: c.event_id,
          consent: c.consent,
          external_id: c.external_id,
          created_at: now,
        }),
      );
    }
  }
  for (let i = 0; i < leads.length; i++) {
    const c = leads[i];
    await recordEvents(trx, ctx, [{ type: 'lead.created', subject: `lead/${ids[i]}`, data: { id: ids[i], email: c.email, source: c.source, eventId: c.event_id } }]);
  }
  return ids;
}

/** The one writer of a lead's changed fields, inside the caller's transaction, with its `lead.updated` event. */
export async function updateLead(trx: Trx, ctx: CoreContext, leadId: number, changes: FieldChanges): Promise<void> {
  await trx.updateTable('leads').set(setWithKey(changes, 'email')).where('id', '=', leadId).execute();
  await recordEvents(trx, ctx, [{ type: 'lead.updated', subject: `lead/${leadId}`, data: { id: leadId, changes } }]);
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
