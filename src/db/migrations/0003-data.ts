// Frozen in time: never edit a migration that has shipped; add a new one.
// Organisers' data: external ids for idempotent re-imports, the sync exporter's consumer cursors,
// drawer counts and the hash-chained Z reports of the cash-up.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // An id from the organiser's own system: a re-import finds the row it created by it.
  for (const table of ['venues', 'events', 'leads']) {
    await db.schema.alterTable(table).addColumn('external_id', 'text').execute();
    await sql`create unique index ${sql.raw(`${table}_external_id`)} on ${sql.table(table)} (external_id) where external_id is not null`.execute(db);
  }

  await db.schema
    .createTable('sync_consumers')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The last outbox sequence number delivered to this consumer.
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('delivered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('z_reports')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull())
    // The report's figures as canonical JSON; `hash` = sha256(prev_hash + body + the columns above).
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  await sql`create index z_reports_operator on z_reports (operator_name collate nocase, period_end)`.execute(db);
  // A closed Z report is final: the database itself refuses to change or drop one.
  await sql`create trigger z_reports_final_update before update on z_reports
    begin select raise(abort, 'a closed Z report cannot be changed'); end`.execute(db);
  await sql`create trigger z_reports_final_delete before delete on z_reports
    begin select raise(abort, 'a closed Z report cannot be deleted'); end`.execute(db);

  await db.schema
    .createTable('cash_counts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('operator_name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('float', 'integer', (c) => c.notNull().defaultTo(0).check(sql`float >= 0`))
    .addColumn('counted', 'integer', (c) => c.check(sql`counted >= 0`))
    .addColumn('float_at', 'text')
    .addColumn('counted_at', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    // Set when the period is closed: the count is part of that Z report from then on.
    .addColumn('z_number', 'integer', (c) => c.references('z_reports.number'))
    .execute();
  await sql`create unique index cash_counts_open on cash_counts (operator_name collate nocase, currency) where z_number is null`.execute(db);
  await sql`create trigger cash_counts_final_update before update on cash_counts when old.z_number is not null
    begin select raise(abort, 'this count belongs to a closed Z report'); end`.execute(db);
  await sql`create trigger cash_counts_final_delete before delete on cash_counts when old.z_number is not null
    begin select raise(abort, 'this count belongs to a closed Z report'); end`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
