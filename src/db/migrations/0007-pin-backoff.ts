// Frozen in time. Wrong PINs are counted per staff member in the database, so the back-off and
// the lock hold across processes: a new process cannot start the count afresh. PIN checks under
// way are listed too, so a burst of processes cannot all be checked before the first failure counts.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('staff')
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('staff').addColumn('pin_failed_at', 'text').execute();
  await db.schema
    .createTable('pin_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pin_checks_staff').on('pin_checks').column('staff_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
