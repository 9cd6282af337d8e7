// Frozen in time. One rule for names that differ only by case, the same on SQLite and PostgreSQL
// (docs/postgres.md, "Names that differ only by case"): every name SQLite compared with
// `collate nocase` gets a `<column>_key` beside it, holding foldKey(name) (../fold.ts), and the
// index that folded case is rebuilt on the key. NOCASE folds ASCII only, so "Sala Évora" and
// "sala évora" were two venues; with the key they are one name, as they are on PostgreSQL
// (migrations-pg/0001-schema.ts has the same columns and indexes).
//
// The keys are computed in JavaScript: `boxoffice_fold(text)` is foldKey() itself, registered on
// every SQLite connection (dialects/sqlite.ts), so one `update` per table backfills it, in the
// migrator's one transaction (a 200,000-seat table takes well under a second).
//
// SQLite adds a NOT NULL column only with a default: '' here, and the same default on PostgreSQL
// (migrations-pg/0003-name-key-defaults.ts), so the two schemas stay equal. The code writes every
// key itself (the table types require it); the default is never relied on.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

interface Keyed {
  table: string;
  column: string;
  /** The index that compared `column` with NOCASE, rebuilt on the key under the same name. */
  index: string;
  /** Its columns, the key in place of the folded column. */
  on: string[];
  unique: boolean;
  where?: string;
}

const keyed: Keyed[] = [
  { table: 'venues', column: 'name', index: 'venues_name', on: ['name_key'], unique: true },
  { table: 'sections', column: 'name', index: 'sections_name', on: ['venue_id', 'name_key'], unique: true },
  { table: 'seats', column: 'row_label', index: 'seats_place', on: ['section_id', 'row_label_key', 'number'], unique: true },
  { table: 'events', column: 'name', index: 'events_name', on: ['name_key'], unique: false },
  { table: 'tiers', column: 'name', index: 'tiers_name', on: ['event_id', 'name_key'], unique: true },
  { table: 'tier_prices', column: 'zone', index: 'tier_prices_zone', on: ['tier_id', 'zone_key'], unique: true },
  { table: 'customers', column: 'email', index: 'customers_email', on: ['email_key'], unique: true },
  { table: 'staff', column: 'name', index: 'staff_name', on: ['name_key'], unique: true },
  { table: 'leads', column: 'email', index: 'leads_email', on: ['email_key'], unique: false },
  { table: 'z_reports', column: 'operator_name', index: 'z_reports_operator', on: ['operator_name_key', 'period_end'], unique: false },
  { table: 'cash_counts', column: 'operator_name', index: 'cash_counts_open', on: ['operator_name_key', 'currency'], unique: true, where: 'z_number is null' },
];

// The triggers that keep a closed Z report final (0003-data) refuse the backfill's update; they
// are dropped for it and made again exactly as they were. Only the new key column changes.
const finalTriggers = [
  `create trigger z_reports_final_update before update on z_reports
    begin select raise(abort, 'a closed Z report cannot be changed'); end`,
  `create trigger cash_counts_final_update before update on cash_counts when old.z_number is not null
    begin select raise(abort, 'this count belongs to a closed Z report'); end`,
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger z_reports_final_update`.execute(db);
  await sql`drop trigger cash_counts_final_update`.execute(db);
  for (const k of keyed) {
    const key = `${k.column}_key`;
    await sql.raw(`alter table ${k.table} add column ${key} text not null default ''`).execute(db);
    await sql.raw(`update ${k.table} set ${key} = boxoffice_fold(${k.column})`).execute(db);
    await sql.raw(`drop index ${k.index}`).execute(db);
    if (k.unique) {
      // Names NOCASE told apart but the key does not ("Sala Évora" and "sala évora", made before
      // this rule) would break the unique index. The oldest row keeps the name's key; each later
      // one gets "<key> #<id>", so nothing is lost or renamed and the index holds. Looking the
      // name up finds the oldest; the others are still listed and found by id.
      const scope = k.on.join(', ');
      const where = k.where ? `${k.where} and ` : '';
      await sql.raw(`update ${k.table} set ${key} = ${key} || ' #' || id where ${where}id not in (select min(id) from ${k.table} ${k.where ? `where ${k.where} ` : ''}group by ${scope})`).execute(db);
    }
    await sql.raw(`create ${k.unique ? 'unique ' : ''}index ${k.index} on ${k.table} (${k.on.join(', ')})${k.where ? ` where ${k.where}` : ''}`).execute(db);
  }
  for (const trigger of finalTriggers) await sql.raw(trigger).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
