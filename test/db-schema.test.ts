// The schema SQLite's migrations build and the one PostgreSQL's build (src/db/migrations-pg) must
// be the same: tables, columns (normalised types, nullability, defaults), primary keys, unique
// and other indexes, foreign keys and triggers. A migration added on one side only fails here.
// Names that differ only by case are one name on both by the same `<column>_key` columns and
// indexes (src/db/fold.ts, SQLite's 0008-name-keys): there is no difference left to derive.
// The one deliberate difference, named below (FEED_NUMBERED_AFTER_COMMIT): PostgreSQL's outbox
// numbers its rows after they commit (src/db/migrations-pg/0002-feed-sequence.ts), so `seq` may be
// null there and is a unique index, and the primary key is `pos`, beside the writer's `xid`.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { openSqlite } from '../src/db/dialects/sqlite.js';
import { tempDir } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

interface Column {
  type: 'int' | 'float' | 'text' | 'bytes';
  notNull: boolean;
  default: string | null;
}
interface Schema {
  columns: Record<string, Record<string, Column>>;
  primaryKeys: Record<string, string[]>;
  /** `table(col, …) [unique] [partial]`, named by the index's name, or `(constraint)` for a column's UNIQUE. */
  indexes: string[];
  /** `table.col -> table.col` */
  foreignKeys: string[];
  triggers: string[];
}

const SQLITE_TYPES: Record<string, Column['type']> = { integer: 'int', real: 'float', text: 'text', blob: 'bytes' };
const PG_TYPES: Record<string, Column['type']> = { bigint: 'int', 'double precision': 'float', text: 'text', bytea: 'bytes' };
const ours = (table: string) => !table.startsWith('sqlite_') && !table.startsWith('kysely_');
const plainDefault = (value: string | null) => (value === null ? null : value.replace(/::[a-z ]+$/, '').replace(/^'(.*)'$/, '$1'));

function sqliteSchema(file: string): Schema {
  const db = new Sqlite(file, { readonly: true });
  try {
    const schema: Schema = { columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [], triggers: [] };
    const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name).filter(ours);
    for (const table of tables) {
      const info = db.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      schema.columns[table] = {};
      for (const c of info) {
        // A primary key is never null on PostgreSQL; SQLite only says so for INTEGER PRIMARY KEY.
        schema.columns[table][c.name] = { type: SQLITE_TYPES[c.type.toLowerCase()], notNull: c.notnull === 1 || c.pk > 0, default: plainDefault(c.dflt_value) };
      }
      schema.primaryKeys[table] = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      for (const index of db.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string; partial: number }[]) {
        if (index.origin === 'pk') continue;
        // A collation other than BINARY would compare differently from PostgreSQL's: named here.
        const cols = (db.pragma(`index_xinfo(${index.name})`) as { name: string; coll: string; key: number }[])
          .filter((c) => c.key)
          .map((c) => (c.coll.toUpperCase() === 'BINARY' ? c.name : `${c.name} collate ${c.coll.toLowerCase()}`));
        const name = index.origin === 'u' ? '(constraint)' : index.name;
        schema.indexes.push(`${name} ${table}(${cols.join(', ')})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`);
      }
      for (const fk of db.pragma(`foreign_key_list(${table})`) as { table: string; from: string; to: string }[]) {
        schema.foreignKeys.push(`${table}.${fk.from} -> ${fk.table}.${fk.to}`);
      }
    }
    schema.triggers = (db.prepare("select name from sqlite_master where type = 'trigger'").all() as { name: string }[]).map((t) => t.name);
    return normalise(schema);
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <R extends pg.QueryResultRow>(text: string) => (await client.query<R>(text)).rows;
    const schema: Schema = { columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [], triggers: [] };
    const columns = await q<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      "select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position",
    );
    for (const c of columns.filter((c) => ours(c.table_name))) {
      (schema.columns[c.table_name] ??= {})[c.column_name] = {
        type: PG_TYPES[c.data_type] ?? (c.data_type as Column['type']),
        notNull: c.is_nullable === 'NO',
        default: plainDefault(c.column_default),
      };
    }
    // Every index with its columns in order, whether it backs a constraint, and its kind.
    const indexes = await q<{ table_name: string; index_name: string; columns: string[]; unique: boolean; primary: boolean; partial: boolean; constraint: boolean }>(`
      select t.relname as table_name, i.relname as index_name, x.indisunique as unique, x.indisprimary as primary,
        x.indpred is not null as partial, exists (select 1 from pg_constraint c where c.conindid = x.indexrelid) as constraint,
        array(select a.attname from unnest(x.indkey) with ordinality k(attnum, n) join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n)::text[] as columns
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace s on s.oid = t.relnamespace
      where s.nspname = 'public'`);
    for (const index of indexes.filter((i) => ours(i.table_name))) {
      if (index.primary) schema.primaryKeys[index.table_name] = index.columns;
      else
        schema.indexes.push(
          `${index.constraint ? '(constraint)' : index.index_name} ${index.table_name}(${index.columns.join(', ')})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`,
        );
    }
    for (const table of Object.keys(schema.columns)) schema.primaryKeys[table] ??= [];
    const fks = await q<{ table_name: string; from: string; ref_table: string; to: string }>(`
      select t.relname as table_name, a.attname as from, r.relname as ref_table, ra.attname as to
      from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class r on r.oid = c.confrelid
        join pg_attribute a on a.attrelid = t.oid and a.attnum = c.conkey[1] join pg_attribute ra on ra.attrelid = r.oid and ra.attnum = c.confkey[1]
        join pg_namespace s on s.oid = t.relnamespace
      where c.contype = 'f' and s.nspname = 'public'`);
    schema.foreignKeys = fks.map((f) => `${f.table_name}.${f.from} -> ${f.ref_table}.${f.to}`);
    schema.triggers = (await q<{ trigger_name: string }>("select distinct trigger_name from information_schema.triggers where trigger_schema = 'public'")).map((t) => t.trigger_name);
    return normalise(schema);
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL's outbox as it differs on purpose (docs/postgres.md, "The feed"): rows are written
 * with seq null and numbered after they commit. Each difference must be there (so none goes
 * unnoticed), and is then undone, so that everything else is still compared.
 */
function withoutFeedDifference(schema: Schema): Schema {
  const outbox = schema.columns.outbox;
  expect(outbox.seq).toEqual({ type: 'int', notNull: false, default: null });
  expect(outbox.pos).toEqual({ type: 'int', notNull: true, default: null });
  expect(outbox.xid).toEqual({ type: 'xid8', notNull: true, default: 'pg_current_xact_id()' });
  expect(schema.primaryKeys.outbox).toEqual(['pos']);
  const onlyHere = ['outbox_seq outbox(seq) unique', 'outbox_pending outbox(pos) partial'];
  for (const index of onlyHere) expect(schema.indexes).toContain(index);
  const { pos: _pos, xid: _xid, ...columns } = outbox;
  return {
    ...schema,
    columns: { ...schema.columns, outbox: { ...columns, seq: { ...outbox.seq, notNull: true } } },
    primaryKeys: { ...schema.primaryKeys, outbox: ['seq'] },
    indexes: schema.indexes.filter((i) => !onlyHere.includes(i)),
  };
}

function normalise(schema: Schema): Schema {
  return { ...schema, indexes: [...schema.indexes].sort(), foreignKeys: [...schema.foreignKeys].sort(), triggers: [...schema.triggers].sort() };
}

const dir = tempDir('boxoffice-schema-');
let database: PostgresDatabase | undefined;
afterAll(async () => {
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`the SQLite and PostgreSQL schemas${postgresNote}`, () => {
  it('SQLite: the introspection sees what the migrations built (so a drift cannot hide from it)', async () => {
    const handle = await openSqlite(path.join(dir, 'box.db'), { create: true });
    await handle.close();
    const schema = sqliteSchema(path.join(dir, 'box.db'));
    expect(Object.keys(schema.columns)).toContain('seat_claims');
    expect(schema.primaryKeys.seat_claims).toEqual(['event_id', 'seat_id']);
    expect(schema.columns.venues.name_key).toEqual({ type: 'text', notNull: true, default: '' });
    expect(schema.indexes).toContain('venues_name venues(name_key) unique');
    expect(schema.indexes).toContain('checkins_ticket checkins(ticket_id) unique');
    expect(schema.foreignKeys).toContain('seat_claims.ticket_id -> tickets.id');
    expect(schema.triggers).toContain('z_reports_final_update');
  });

  it.runIf(hasPostgres)('are the same: tables, columns, keys, indexes, foreign keys, triggers', async () => {
    database = await freshPostgresDatabase();
    const handle = await openDatabase(database.url, { create: true });
    await handle.close();
    const onPostgres = withoutFeedDifference(await postgresSchema(database.url));
    const onSqlite = sqliteSchema(path.join(dir, 'box.db'));
    expect(Object.keys(onPostgres.columns).sort()).toEqual(Object.keys(onSqlite.columns).sort());
    for (const table of Object.keys(onSqlite.columns)) {
      expect({ table, columns: onPostgres.columns[table] }).toEqual({ table, columns: onSqlite.columns[table] });
    }
    expect(onPostgres.primaryKeys).toEqual(onSqlite.primaryKeys);
    expect(onPostgres.indexes).toEqual(onSqlite.indexes);
    expect(onPostgres.foreignKeys).toEqual(onSqlite.foreignKeys);
    expect(onPostgres.triggers).toEqual(onSqlite.triggers);
  });
});
