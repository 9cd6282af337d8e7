// Venues, events and staff are named by id or by a unique, case-insensitive name.
import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../db/transaction.js';
import type { Database } from '../db/schema.js';
import { BoxofficeError, notFound } from './errors.js';

type Named = 'venues' | 'events' | 'staff';
const noun: Record<Named, string> = { venues: 'venue', events: 'event', staff: 'staff member' };

/** Finds one row by id (digits) or by name; several rows with that name exit 2 and are listed. */
export async function resolveByIdOrName<T extends Named>(
  db: Queryable,
  table: T,
  ref: string,
): Promise<Selectable<Database[T]>> {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const byId = await db.selectFrom(table as 'venues').selectAll().where('id', '=', Number(text)).executeTakeFirst();
    if (byId) return byId as never;
  }
  const rows = await db
    .selectFrom(table as 'venues')
    .selectAll()
    .where(sql`name`, '=', sql`${text} collate nocase`)
    .limit(20)
    .execute();
  if (rows.length === 1) return rows[0] as never;
  if (rows.length === 0) {
    throw notFound(`no ${noun[table]} ${JSON.stringify(text)}`, `list them with: boxoffice ${table === 'staff' ? 'staff' : noun[table]} list`);
  }
  throw new BoxofficeError(
    'ambiguous_reference',
    `${rows.length} ${table} are called ${JSON.stringify(text)}: use the id (${rows.map((r) => r.id).join(', ')})`,
    undefined,
    { candidates: rows.map((r) => ({ id: r.id, name: r.name })) },
  );
}
