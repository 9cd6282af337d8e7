// `boxoffice report leads`: per source, how many leads and how many became paying customers.
import type { CoreContext } from '../context.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';

export interface LeadSourceRow {
  /** The source, as `lead add --source` and imports take it; `(none)` for leads without one. */
  id: string;
  source: string;
  leads: number;
  converted: number;
  /** converted / leads, from 0 to 1. */
  conversionRate: number;
}

export async function leadsReport(ctx: CoreContext, filter: { event?: string } = {}): Promise<LeadSourceRow[]> {
  requireRole(ctx.actor, 'reports');
  const eventId = filter.event !== undefined ? (await findEvent(ctx.db, filter.event)).event.id : undefined;
  let q = ctx.db
    .selectFrom('leads')
    .select((eb) => [eb.fn.coalesce('source', eb.val('(none)')).as('source'), eb.fn.countAll<number>().as('leads'), eb.fn.count<number>('converted_order_id').as('converted')])
    .groupBy('source');
  if (eventId !== undefined) q = q.where('event_id', '=', eventId);
  const rows = await q.execute();
  return rows
    .map((r) => {
      const leads = Number(r.leads);
      const converted = Number(r.converted);
      return { id: String(r.source), source: String(r.source), leads, converted, conversionRate: leads ? converted / leads : 0 };
    })
    .sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source));
}
