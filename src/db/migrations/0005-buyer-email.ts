// Frozen in time. A hold remembers the buyer's email, so paying it later makes or matches the
// customer and converts their lead as a sale would.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('buyer_email', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
