// Frozen in time. A consumer of the event feed is taken by one exporter at a time: two exporters
// reading from the same cursor would deliver the same events twice.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_consumers').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('sync_consumers').addColumn('lease_until', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
