// An import against a first sale under way, on PostgreSQL (issue 12, docs/postgres.md "Imports"):
// an import may move an event to another venue, change its currency or a GA section's capacity
// only while nothing is sold, and it plans without locks while other terminals sell (they never
// take the import's lock). Here a real `sell`/`hold` process has written its order but not
// committed when a real `import` process starts: the import must wait for it and then refuse, as
// planning refuses once an event is sold, never change the event or section under the order.
//
// Deterministic: the test's own pg client holds the sale back inside its transaction, after its
// order is written (an uncommitted customer with the buyer's email, or an uncommitted claim of
// the seat held), until the import either waits on a lock too or has finished.
//
// Runs the compiled code (npm run build first).
import { cliOnFreshDatabase } from './helpers/pg-seed.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Running {
  done: Promise<Exit>;
  /** Set once the process has exited. */
  exit?: Exit;
}

function start(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const running: Running = { done: new Promise<Exit>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
  void running.done.then((e) => (running.exit = e));
  return running;
}

/** Gala on sale at Main Hall (Stalls A-J × 1-20, Floor GA 50), and Small Hall to move it to. */
async function setUp() {
  const { database, box } = await cliOnFreshDatabase(cleanups, { prepared: true });
  const more = box.run(['venue', 'add', 'Small Hall', '--city', 'Porto', '--timezone', 'Europe/Lisbon']);
  expect(more.code, more.stderr).toBe(0);
  const csv = (name: string, text: string) => {
    const file = path.join(box.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  return { database, box, csv, env: { HOME: box.dir, BOXOFFICE_DB: database.url } };
}

/**
 * A transaction of the test's own that a sale will wait for once its order is written: it stays
 * open (holding `sql`'s row) until `release`, which rolls it back and lets the sale commit.
 */
async function holdBack(database: PostgresDatabase, sql: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  cleanups.push(() => client.end());
  await client.query('begin');
  await client.query(sql, values);
  /** Sessions of the database (not this one) waiting on a lock. */
  const waiting = async () => {
    // pg_stat_activity is read as of a transaction's start: a clear snapshot each time.
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
    return Number(rows[0].n);
  };
  return {
    /** Returns once `count` sessions wait on a lock, or once `p` has exited. */
    async until(count: number, p?: Running): Promise<void> {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
        if ((await waiting()) >= count || p?.exit) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no ${count} sessions waiting on a lock within a minute`);
    },
    release: () => client.query('rollback'),
  };
}

/** The buyer's customer row, uncommitted: the sale's own insert of it (after its order) waits. */
const CUSTOMER = "insert into customers (email, email_key, name, phone, created_at) values ($1, $1, null, null, '2026-01-01T00:00:00.000Z')";

/**
 * Starts `sale` held back by `gate` (its order written, not committed), then `importArgs`; lets
 * the sale commit once the import waits on a lock too (fixed) or has finished (before: it did not
 * wait). The sale must succeed; the import's exit is returned for the test to judge.
 */
async function importDuringSale(gate: Awaited<ReturnType<typeof holdBack>>, env: Record<string, string>, saleArgs: string[], importArgs: string[]): Promise<Exit> {
  const sale = start(saleArgs, env);
  await gate.until(1, sale);
  expect(sale.exit, 'the sale waits inside its transaction').toBeUndefined();
  const imported = start(importArgs, env);
  await gate.until(2, imported);
  await gate.release();
  const sold = await sale.done;
  expect(sold.code, sold.stderr).toBe(0);
  return imported.done;
}

describe.runIf(hasPostgres)(`an import against a first sale under way on PostgreSQL${postgresNote}`, () => {
  it('import events does not move an event to another venue under a sale committing meanwhile', async () => {
    const { database, box, csv, env } = await setUp();
    // An external id lets a row name the event at another venue (its natural key is by venue).
    const named = box.run(['import', 'events', csv('id.csv', 'external_id,name,venue,starts\nGALA,Gala,Main Hall,2027-03-01T20:00\n')]);
    expect(named.code, named.stderr).toBe(0);
    const move = csv('move.csv', 'external_id,name,venue,starts\nGALA,Gala,Small Hall,2027-03-01T20:00\n');
    const gate = await holdBack(database, CUSTOMER, ['first@example.com']);
    const result = await importDuringSale(
      gate,
      env,
      ['sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash', '--email', 'first@example.com', '--json'],
      ['import', 'events', move, '--json'],
    );
    const [event] = await database.query<{ venue: string }>("select v.name as venue from events e join venues v on v.id = e.venue_id where e.name = 'Gala'");
    expect(event.venue, 'the sold event stays where its order is').toBe('Main Hall');
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('already has orders; its venue cannot change') });
  }, 120_000);

  it('import events does not change the currency of an event under a hold committing meanwhile', async () => {
    const { database, box, csv, env } = await setUp();
    const [{ eventId, seatId }] = await database.query<{ eventId: string; seatId: string }>(
      `select e.id as "eventId", s.id as "seatId" from events e, seats s where e.name = 'Gala' and s.row_label = 'B' and s.number = 7`,
    );
    // The hold inserts its order and ticket, then its claim of B-7 waits for this one.
    const gate = await holdBack(database, "insert into seat_claims (event_id, seat_id, status, ticket_id, expires_at, reason) values ($1, $2, 'blocked', null, null, null)", [eventId, seatId]);
    const result = await importDuringSale(
      gate,
      env,
      ['hold', 'Gala', '--seats', 'B-7', '--tier', 'Adult', '--json'],
      ['import', 'events', csv('usd.csv', 'name,venue,starts,currency\nGala,Main Hall,2027-03-01T20:00,USD\n'), '--json'],
    );
    const rows = await database.query<{ event: string; order: string }>("select e.currency as event, o.currency as order from events e join orders o on o.event_id = e.id where e.name = 'Gala'");
    expect(rows, "the held event keeps its order's currency").toEqual([{ event: 'EUR', order: 'EUR' }]);
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stderr).error.message).toContain('already has orders; its currency cannot change');
    expect(box.run(['event', 'show', 'Gala', '--json']).json.currency).toBe('EUR');
  }, 120_000);

  it('import seatmap does not set a GA capacity below what a sale committing meanwhile sold', async () => {
    const { database, csv, env } = await setUp();
    const gate = await holdBack(database, CUSTOMER, ['ga@example.com']);
    const result = await importDuringSale(
      gate,
      env,
      ['sell', 'Gala', '--section', 'Floor', '--quantity', '5', '--tier', 'Adult', '--pay', 'cash', '--email', 'ga@example.com', '--json'],
      ['import', 'seatmap', csv('floor.csv', 'venue,section,capacity\nMain Hall,Floor,3\n'), '--json'],
    );
    const [floor] = await database.query<{ capacity: string; sold: string }>(
      "select s.capacity, (select count(*) from tickets t where t.section_id = s.id) as sold from sections s where s.name = 'Floor'",
    );
    expect({ capacity: Number(floor.capacity), sold: Number(floor.sold) }, 'never a capacity below what is sold').toEqual({ capacity: 50, sold: 5 });
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stderr).error.message).toContain('Main Hall already has tickets sold or held; the capacity of Floor cannot change');
  }, 120_000);
});
