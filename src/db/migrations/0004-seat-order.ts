// Frozen in time. Seat maps are read row by row in order: an index in that order spares a sort of
// every seat of a stadium on each read.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index seats_order on seats (section_id, row_rank, number)`.execute(db);
  await sql`create index seat_claims_ticket on seat_claims (ticket_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
