// Frozen in time. SQLite's 0008-name-keys adds the `*_key` columns to tables that already have
// rows, and SQLite adds a NOT NULL column only with a default: ''. The same default here keeps
// the two schemas equal (test/db-schema.test.ts). The code writes every key itself with foldKey()
// (the table types require it); the default is never relied on.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

const keys: [table: string, column: string][] = [
  ['venues', 'name_key'],
  ['sections', 'name_key'],
  ['seats', 'row_label_key'],
  ['events', 'name_key'],
  ['tiers', 'name_key'],
  ['tier_prices', 'zone_key'],
  ['customers', 'email_key'],
  ['staff', 'name_key'],
  ['leads', 'email_key'],
  ['z_reports', 'operator_name_key'],
  ['cash_counts', 'operator_name_key'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of keys) await sql.raw(`alter table ${table} alter column ${column} set default ''`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
