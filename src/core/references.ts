// Venues, events and staff are named by id or by a unique, case-insensitive name: its key
// (src/db/fold.ts), the same rule on SQLite and PostgreSQL.
import { foldKey } from '../db/fold.js';
import type { Selectable } from 'kysely';
import type { Queryable } from '../db/transaction.js';
import { prepared, type PreparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { BoxofficeError, notFound } from './errors.js';

type Named = 'venues' | 'events' | 'staff';
const noun: Record<Named, string> = { venues: 'venue', events: 'event', staff: 'staff member' };

// Selling looks its event up by id every time.
const byIdQueries = new Map<Named, PreparedQuery<{ id: number }, unknown>>();
function byId(table: Named): PreparedQuery<{ id: number }, unknown> {
  let query = byIdQueries.get(table);
  if (!query)
    byIdQueries.set(
      table,
      (query = prepared((db, p: { id: number }) =>
        db
          .selectFrom(table as 'venues')
          .selectAll()
          .where('id', '=', p.id),
      )),
    );
  return query;
}

/** Finds one row by id (digits) or by name; several rows with that name are refused (ambiguous_reference) and listed. */
export async function resolveByIdOrName<T extends Named>(db: Queryable, table: T, ref: string): Promise<Selectable<Database[T]>> {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const row = await byId(table).first(db, { id: Number(text) });
    if (row) return row as never;
  }
  const rows = await db
    .selectFrom(table as 'venues')
    .selectAll()
    .where('name_key', '=', foldKey(text))
    .limit(20)
    .execute();
  if (rows.length === 1) return rows[0] as never;
  if (rows.length === 0) {
    throw notFound(`no ${noun[table]} ${JSON.stringify(text)}`, `see the list of ${table}`).because('reference_unknown', { kind: table === 'staff' ? 'staff' : (noun[table] as 'venue' | 'event') });
  }
  // Events that share a name are told apart by when they start.
  const describe = (r: { id: number; starts_at?: string }) => (r.starts_at ? `${r.id} on ${r.starts_at.slice(0, 16).replace('T', ' ')} UTC` : String(r.id));
  throw new BoxofficeError(
    'ambiguous_reference',
    `${rows.length} ${table} are called ${JSON.stringify(text)}: use the id (${rows.map((r) => describe(r as { id: number; starts_at?: string })).join('; ')})`,
    undefined,
    { candidates: rows.map((r) => ({ id: r.id, name: r.name, ...('starts_at' in r ? { startsAt: r.starts_at } : {}) })) },
  );
}
