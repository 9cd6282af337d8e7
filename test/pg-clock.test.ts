// On PostgreSQL the database's clock decides (SPEC "Storage"): a terminal whose own clock is hours
// wrong still dates payments and holds by the server's time, and expires holds when the server
// says, not when its own clock does. BOXOFFICE_NOW still moves that clock.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, sandbox } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { seedEvent } from './helpers/pg-seed.js';

const SHIFT = path.join(ROOT, 'test/fixtures/shift-clock.cjs');
const HOUR = 3_600_000;
/** A terminal whose computer clock is `ms` off (test/fixtures/shift-clock.cjs). */
const clockOff = (ms: number) => ({ NODE_OPTIONS: `--require ${SHIFT}`, BOXOFFICE_TEST_CLOCK_SHIFT_MS: String(ms) });
// How far a time measured through the server may be from the server's own reading around it: the
// offset is measured at the midpoint of a round trip on this machine, far below this.
const SLACK = 10_000;

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function serverNow(db: PostgresDatabase): Promise<number> {
  const [row] = await db.query<{ t: Date }>('select clock_timestamp() as t');
  return row.t.getTime();
}

describe.runIf(hasPostgres)(`the database's clock on PostgreSQL${postgresNote}`, () => {
  it('a terminal 2 hours behind dates holds and payments by the server; one 2 hours ahead expires no hold early; BOXOFFICE_NOW still moves the clock', async () => {
    database = await freshPostgresDatabase();
    const db = database;
    const box = sandbox({ BOXOFFICE_DB: db.url });
    expect(box.run(['init']).code).toBe(0);
    const event = await seedEvent(db);
    const behind = clockOff(-2 * HOUR);
    const ahead = clockOff(2 * HOUR);
    // The preload does shift the process's clock.
    const shifted = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { encoding: 'utf8', env: { ...process.env, ...behind } });
    expect(Math.abs(Number(shifted.stdout) - (Date.now() - 2 * HOUR))).toBeLessThan(SLACK);

    const before = await serverNow(db);
    const hold = box.run(['hold', event, '--quantity', '2', '--minutes', '15', '--json'], behind);
    const after = await serverNow(db);
    expect(hold.stderr).toBe('');
    expect(hold.code).toBe(0);
    const created = Date.parse(hold.json.createdAt);
    const expires = Date.parse(hold.json.expiresAt);
    expect(created).toBeGreaterThan(before - SLACK);
    expect(created).toBeLessThan(after + SLACK);
    expect(expires - created).toBe(15 * 60_000);

    const beforeSale = await serverNow(db);
    const sale = box.run(['sell', event, '--quantity', '1', '--tier', 'Adult', '--pay', 'cash', '--json'], behind);
    const afterSale = await serverNow(db);
    expect(sale.stderr).toBe('');
    expect(sale.code).toBe(0);
    const [payment] = await db.query<{ created_at: string; paid_at: string }>('select p.created_at, o.paid_at from payments p join orders o on o.id = p.order_id where o.code = $1', [sale.json.code]);
    for (const t of [payment.created_at, payment.paid_at]) {
      expect(Date.parse(t)).toBeGreaterThan(beforeSale - SLACK);
      expect(Date.parse(t)).toBeLessThan(afterSale + SLACK);
    }

    // A sale sweeps the event's due holds: by the server's clock this one is not due yet.
    expect(box.run(['sell', event, '--quantity', '1', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'T1'], ahead).code).toBe(0);
    const status = async () => (await db.query<{ status: string }>('select status from orders where code = $1', [hold.json.code]))[0].status;
    expect(await status()).toBe('pending');

    // Once the (moved) clock passes its end, a sweep from the terminal behind expires it.
    const later = new Date(expires + 60_000).toISOString();
    expect(box.run(['sell', event, '--quantity', '1', '--tier', 'Adult', '--pay', 'cash'], { ...behind, BOXOFFICE_NOW: later }).code).toBe(0);
    expect(await status()).toBe('expired');
    box.cleanup();
  });
});
