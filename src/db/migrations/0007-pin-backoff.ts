// Frozen in time. Wrong PINs are counted per staff member in the database, so the back-off and
// the lock hold across processes: a new process cannot start the count afresh.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('staff').addColumn('pin_failed_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
