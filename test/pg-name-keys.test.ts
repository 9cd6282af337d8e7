// Names that differ only by case are one name, by one rule on SQLite and PostgreSQL
// (src/db/fold.ts, docs/postgres.md): "sala évora" finds "Sala Évora", where SQLite's NOCASE
// folded ASCII only. And a name stays unique when terminals race to add it (src/core/unique.ts):
// two processes adding one name in different case at once get one success and the domain's
// already_exists (exit 4), never a raw unique violation (exit 1).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { openDatabase } from '../src/db/connection.js';
import { migrations } from '../src/db/migrations/index.js';
import { SINGLE_USER } from '../src/core/staff/permissions.js';
import { systemClock } from '../src/core/clock.js';
import { addVenue, findVenue } from '../src/core/venues/venues.js';
import { addEvent } from '../src/core/events/events.js';
import { sandbox, tempDir } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

const NAMER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workers', 'namer.mjs');
const dir = tempDir('boxoffice-keys-');
const databases: PostgresDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A database of each kind: a SQLite file, or a fresh PostgreSQL database (its URL). */
async function target(kind: 'sqlite' | 'postgres', name: string): Promise<string> {
  if (kind === 'sqlite') return path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.db`);
  const database = await freshPostgresDatabase();
  databases.push(database);
  return database.url;
}

const kinds = [
  { kind: 'sqlite' as const, run: it },
  { kind: 'postgres' as const, run: it.runIf(hasPostgres) },
];

describe(`names that differ only by case are one name${postgresNote}`, () => {
  for (const { kind, run } of kinds) {
    run(`${kind}: venues, sections and seat refs, tiers, staff and customer emails (CLI)`, async () => {
      const box = sandbox({ BOXOFFICE_DB: await target(kind, 'cli') });
      const ok = (args: string[], env: Record<string, string> = {}) => {
        const r = box.run(args, env);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: expect.any(String) });
        return r;
      };
      try {
        ok(['init']);
        ok(['venue', 'add', 'Sala Évora', '--city', 'Évora', '--timezone', 'Europe/Lisbon']);
        const shown = ok(['--json', 'venue', 'show', 'sala évora']);
        expect(shown.json.name ?? shown.json.venue?.name).toBe('Sala Évora');
        const again = box.run(['venue', 'add', 'SALA ÉVORA', '--city', 'Évora']);
        expect(again.code).toBe(4);
        expect(again.stderr).toContain('already exists');

        ok(['venue', 'seatmap', 'generate', 'SALA ÉVORA', '--section', 'Balcão', '--rows', 'A-B', '--seats', '1-4']);
        // The same section in other case: seats are added to it, not to a second section.
        ok(['venue', 'seatmap', 'generate', 'sala évora', '--section', 'BALCÃO', '--rows', 'C', '--seats', '1-4']);
        ok(['event', 'add', 'Noite de Fado', '--venue', 'sala ÉVORA', '--starts', '2027-03-01T20:00']);
        ok(['event', 'price', 'noite de fado', '--tier', 'Público', '--price', '20.00']);
        ok(['event', 'price', 'NOITE DE FADO', '--tier', 'PÚBLICO', '--price', '22.00']);
        const tiers = ok(['--json', 'event', 'show', 'Noite de Fado']).json;
        expect(JSON.stringify(tiers)).toContain('Público');
        expect(JSON.stringify(tiers)).not.toContain('PÚBLICO');
        ok(['event', 'publish', 'Noite de Fado']);

        const sold = ok(['--json', 'sell', 'Noite de Fado', '--seats', 'BALCÃO:a-1,balcão:C-2', '--tier', 'público', '--pay', 'cash', '--email', 'Zoë@Example.com', '--name', 'José Évora']).json;
        expect(sold.tickets).toHaveLength(2);
        const taken = box.run(['sell', 'Noite de Fado', '--seats', 'Balcão:A-1', '--tier', 'Público', '--pay', 'cash']);
        expect(taken.code).toBe(4);
        ok(['sell', 'Noite de Fado', '--seats', 'Balcão:A-2', '--tier', 'Público', '--pay', 'cash', '--email', 'ZOË@example.COM']);
        // One customer, whatever the case of the email; found by it in any case.
        expect(ok(['--json', 'customer', 'list']).json).toHaveLength(1);
        expect(ok(['--json', 'customer', 'show', 'zoë@example.com']).json.orders).toHaveLength(2);
        // Free-text search folds by the same rule: a part of the holder's name, any case.
        // (Both orders: the second buyer is the same customer, whose name the first sale gave.)
        expect(ok(['--json', 'order', 'find', 'ÉVORA']).json).toHaveLength(2);
        expect(ok(['--json', 'order', 'find', 'josé évora']).json).toHaveLength(2);
        expect(ok(['--json', 'order', 'find', 'jos_']).json).toHaveLength(0);

        ok(['staff', 'add', 'Zoë', '--role', 'admin', '--pin', '482913']);
        ok(['event', 'list'], { BOXOFFICE_OPERATOR: 'ZOË', BOXOFFICE_PIN: '482913' });
        const twin = box.run(['staff', 'add', 'zoë', '--role', 'clerk', '--pin', '771234'], { BOXOFFICE_OPERATOR: 'zoË', BOXOFFICE_PIN: '482913' });
        expect(twin.code).toBe(4);
      } finally {
        box.cleanup();
      }
    });
  }
});

describe('SQLite migration 0008-name-keys', () => {
  it('gives the rows of a database made at 0007 their keys, and keeps names NOCASE told apart', async () => {
    const file = path.join(dir, 'at-0007.db');
    const sqlite = new Sqlite(file);
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
    const upTo0007 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0008'));
    const migrated = await new Migrator({ db: old, provider: { getMigrations: async () => upTo0007 } }).migrateToLatest();
    expect(migrated.error).toBeUndefined();
    sqlite.pragma('user_version = 7');
    const insert = (text: string, ...values: unknown[]) => Number(sqlite.prepare(text).run(...values).lastInsertRowid);
    const evora = insert("insert into venues (name, city, timezone, created_at) values ('Sala Évora', 'Évora', 'UTC', 'x')");
    // NOCASE told these apart (it folds ASCII only); under the key they are one name.
    const twin = insert("insert into venues (name, city, timezone, created_at) values ('sala évora', 'Évora', 'UTC', 'x')");
    const section = insert("insert into sections (venue_id, name, kind, position) values (?, 'BALCÃO', 'reserved', 0)", evora);
    insert("insert into seats (section_id, row_label, row_rank, number) values (?, 'Á', 0, 1)", section);
    const event = insert("insert into events (venue_id, name, starts_at, status, currency, order_limit, created_at) values (?, 'Noite ÚNICA', 'x', 'draft', 'EUR', 10, 'x')", evora);
    const tier = insert("insert into tiers (event_id, name, position) values (?, 'PÚBLICO', 0)", event);
    insert("insert into tier_prices (tier_id, zone, price) values (?, 'Plateia Ó', 100)", tier);
    insert("insert into customers (email, created_at) values ('ZOË@Example.com', 'x')");
    insert("insert into staff (name, role, pin_hash, created_at) values ('ÂNGELA', 'admin', 'x', 'x')");
    insert("insert into leads (email, created_at) values ('Zoë@EXAMPLE.com', 'x')");
    insert("insert into z_reports (number, operator_name, period_end, closed_by, body, prev_hash, hash) values (1, 'ÂNGELA', 'x', 'x', '{}', 'p', 'h')");
    insert("insert into cash_counts (operator_name, currency, recorded_by, z_number) values ('ÂNGELA', 'EUR', 'x', 1)");
    insert("insert into cash_counts (operator_name, currency, recorded_by) values ('Ângela', 'EUR', 'x')");
    await old.destroy();

    const handle = await openDatabase(file);
    try {
      const keys = (table: string, column: string) =>
        handle.db
          .selectFrom(table as 'venues')
          .select(column as never)
          .orderBy('id' as never)
          .execute();
      expect(await keys('venues', 'name_key')).toEqual([{ name_key: 'sala évora' }, { name_key: `sala évora #${twin}` }]);
      expect(await keys('sections', 'name_key')).toEqual([{ name_key: 'balcão' }]);
      expect(await keys('seats', 'row_label_key')).toEqual([{ row_label_key: 'á' }]);
      expect(await keys('events', 'name_key')).toEqual([{ name_key: 'noite única' }]);
      expect(await keys('tiers', 'name_key')).toEqual([{ name_key: 'público' }]);
      expect(await keys('tier_prices', 'zone_key')).toEqual([{ zone_key: 'plateia ó' }]);
      expect(await keys('customers', 'email_key')).toEqual([{ email_key: 'zoë@example.com' }]);
      expect(await keys('staff', 'name_key')).toEqual([{ name_key: 'ângela' }]);
      expect(await keys('leads', 'email_key')).toEqual([{ email_key: 'zoë@example.com' }]);
      expect(await handle.db.selectFrom('z_reports').select('operator_name_key').execute()).toEqual([{ operator_name_key: 'ângela' }]);
      expect(await keys('cash_counts', 'operator_name_key')).toEqual([{ operator_name_key: 'ângela' }, { operator_name_key: 'ângela' }]);
      // The closed Z report is final again: its triggers were made again after the backfill.
      await expect(handle.db.updateTable('z_reports').set({ closed_by: 'y' }).execute()).rejects.toThrow('a closed Z report cannot be changed');
      await expect(handle.db.updateTable('cash_counts').set({ recorded_by: 'y' }).where('z_number', '=', 1).execute()).rejects.toThrow('this count belongs to a closed Z report');

      // Found in any case now, the oldest of the two; the other is still there by id.
      const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER };
      expect((await findVenue(handle.db, 'SALA ÉVORA')).id).toBe(evora);
      expect((await findVenue(handle.db, String(twin))).name).toBe('sala évora');
      await expect(addVenue(ctx, { name: 'Sala ÉVORA', city: 'Évora' })).rejects.toMatchObject({ code: 'already_exists' });
    } finally {
      await handle.close();
    }
  });
});

interface Race {
  kind: 'venue' | 'staff' | 'tier' | 'customer';
  names: [string, string][];
  event?: string;
}

/** Two namer processes (test/workers/namer.mjs) adding round i's two spellings at the same instant. */
async function race(db: string, { kind, names, event }: Race): Promise<[string[], string[]]> {
  const startAt = Date.now() + 1500;
  const stepMs = 40;
  const one = (side: 0 | 1) =>
    new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, [NAMER, JSON.stringify({ db, kind, event, names: names.map((n) => n[side]), startAt, stepMs })], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out).answers) : reject(new Error(`namer exited ${code}: ${err}`))));
    });
  return Promise.all([one(0), one(1)]);
}

const ROUNDS = 30;
const STAFF_ROUNDS = 4;
const spellings = (base: string): [string, string][] => Array.from({ length: ROUNDS }, (_, i) => [`${base} ${i}`, `${base.toUpperCase()} ${i}`]);

describe(`name uniqueness when two processes add one name at once${postgresNote}`, () => {
  for (const { kind, run } of kinds) {
    run(`${kind}: venues: one is made, the other hears already_exists, never a raw error`, { timeout: 60_000 }, async () => {
      const db = await target(kind, 'race-venue');
      await (await openDatabase(db, { create: true })).close();
      const [a, b] = await race(db, { kind: 'venue', names: spellings('Sala Évora') });
      for (let i = 0; i < ROUNDS; i++) expect([a[i], b[i]].sort(), `round ${i}`).toEqual(['already_exists', 'ok']);
      const handle = await openDatabase(db);
      expect(
        Number(
          (
            await handle.db
              .selectFrom('venues')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(ROUNDS);
      await handle.close();
    });

    run(`${kind}: staff, tiers and customers: one row per name, every answer the sequential one`, { timeout: 120_000 }, async () => {
      const db = await target(kind, 'race-more');
      const handle = await openDatabase(db, { create: true });
      const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER };
      await addVenue(ctx, { name: 'Coliseu', city: 'Porto' });
      await addEvent(ctx, { name: 'Gala', venue: 'Coliseu', starts: '2027-03-01T20:00' });
      await handle.close();
      // A PIN's hash takes a second or more (on purpose), so staff race fewer rounds.
      const [sa, sb] = await race(db, { kind: 'staff', names: spellings('Zoë').slice(0, STAFF_ROUNDS) });
      for (let i = 0; i < STAFF_ROUNDS; i++) expect([sa[i], sb[i]].sort(), `staff round ${i}`).toEqual(['already_exists', 'ok']);
      // A tier set from two terminals at once is made once and priced by both: both succeed.
      const [ta, tb] = await race(db, { kind: 'tier', event: 'Gala', names: spellings('Público') });
      expect([...ta, ...tb]).toEqual(Array(2 * ROUNDS).fill('ok'));
      // A new buyer's email from two sales at once: one customer, both sales go on.
      const [ca, cb] = await race(db, { kind: 'customer', names: Array.from({ length: ROUNDS }, (_, i) => [`zoë${i}@example.com`, `ZOË${i}@EXAMPLE.COM`]) });
      expect([...ca, ...cb]).toEqual(Array(2 * ROUNDS).fill('ok'));
      const after = await openDatabase(db);
      const count = async (table: 'staff' | 'tiers' | 'customers') =>
        Number(
          (
            await after.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect({ staff: await count('staff'), tiers: await count('tiers'), customers: await count('customers') }).toEqual({ staff: STAFF_ROUNDS, tiers: ROUNDS, customers: ROUNDS });
      await after.close();
    });
  }
});
