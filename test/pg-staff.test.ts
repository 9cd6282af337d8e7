// Staff and logins raced by real processes on one PostgreSQL database (docs/postgres.md, "Staff
// and logins"): a PIN reset ends a login that raced it; a login's rehash does not undo a reset;
// an unlock or a disable run twice at once is recorded once; two admins disabling each other
// leave one; wrong PINs checked at once all count.
//
// Each race is made deterministic: the test holds a lock from a client of its own (a staff row
// `for update`, or an advisory lock a trigger it adds waits on) until the racers wait at the
// point that matters, then lets them go. Runs the compiled code (npm run build first).
import { cliOnFreshDatabase } from './helpers/pg-seed.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, startNode, tempDir, type Exit } from './helpers/cli.js';
import { hasPostgres, holdLock, postgresNote, type HeldLock, type PostgresDatabase } from './helpers/pg.js';
import { hashPin, verifyPin } from '../src/core/staff/pin.js';

const PIN_CHECKER = path.join(ROOT, 'test', 'workers', 'pin-checker.mjs');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function start(args: string[], env: Record<string, string>) {
  const started = startNode(args, env, 'open');
  cleanups.push(() => void started.child.kill('SIGKILL'));
  return started;
}

const as = (name: string, pin: string) => ({ BOXOFFICE_OPERATOR: name, BOXOFFICE_PIN: pin });

const hashes: Record<string, Promise<string>> = {};
for (const pin of ['4444', '3333', '2222']) hashes[pin] = hashPin(pin);

/** A database made by `init` with Ana (admin, 1111), Bea (admin, 4444), Mia (manager, 3333) and Rui (clerk, 2222). */
async function staffed() {
  const { database, box } = await cliOnFreshDatabase(cleanups);
  expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
  // The others as `staff add` would write them (hashes made once for the file: the KDF is slow).
  for (const [name, role, pin] of [
    ['Bea', 'admin', '4444'],
    ['Mia', 'manager', '3333'],
    ['Rui', 'clerk', '2222'],
  ]) {
    await database.query("insert into staff (name, name_key, role, pin_hash, created_at) values ($1, lower($1), $2, $3, '2027-01-01T00:00:00.000Z')", [name, role, await hashes[pin]]);
  }
  const ids = Object.fromEntries((await database.query<{ name: string; id: string }>('select name, id from staff')).map((r) => [r.name, Number(r.id)])) as Record<
    'Ana' | 'Bea' | 'Mia' | 'Rui',
    number
  >;
  /** The CLI as another computer: its own HOME, so its own saved login. */
  const terminal = () => {
    const home = tempDir();
    cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
    const env = { HOME: home, BOXOFFICE_DB: database.url };
    return { env, run: (args: string[], extra: Record<string, string> = {}) => box.run(args, { ...env, ...extra }) };
  };
  return { database, box, ids, terminal, env: { HOME: box.dir, BOXOFFICE_DB: database.url } };
}

const count = async (database: PostgresDatabase, sql: string, values: unknown[] = []) => Number((await database.query<{ n: string }>(sql, values))[0].n);
const sessionsOf = (database: PostgresDatabase, id: number) => count(database, 'select count(*) as n from sessions where staff_id = $1', [id]);

/**
 * A pause inside a statement: a trigger (`before insert` or `before delete`, on rows matching
 * `when`) that waits for an advisory lock the test holds; released, every waiter goes on.
 */
async function pauseAt(database: PostgresDatabase, table: string, event: 'insert' | 'delete', when: string): Promise<HeldLock> {
  await database.query(`create or replace function test_pause() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock_shared(20261012); return coalesce(new, old); end $$`);
  await database.query(`create trigger test_pause before ${event} on ${table} for each row when (${when}) execute function test_pause()`);
  return holdLock(database, 'select pg_advisory_xact_lock(20261012)');
}

/** Waits until `racer` has ended or `count` sessions wait on a lock, whichever comes first. */
async function endedOrWaiting(held: HeldLock, count: number, racer: Promise<Exit>): Promise<void> {
  let ended = false;
  void racer.then(() => (ended = true));
  await held.waitForWaiters(count, [racer]).catch((err) => {
    if (!ended) throw err;
  });
}

describe.runIf(hasPostgres)(`staff and logins on PostgreSQL${postgresNote}`, () => {
  it('a PIN reset that commits while a login is writing its session still ends that session', async () => {
    const { database, ids, env, terminal } = await staffed();
    const door = terminal();
    const held = await pauseAt(database, 'sessions', 'insert', `new.staff_id = ${ids.Rui}`);
    const login = start([BIN, 'login', 'Rui'], { ...door.env, BOXOFFICE_PIN: '2222' });
    try {
      await held.waitForWaiters(1, [login.done]);
      // The PIN is accepted and the session is being written: the reset comes now.
      const reset = start([BIN, 'staff', 'pin', 'Rui', '--pin', '5678'], { ...env, ...as('Ana', '1111') });
      await endedOrWaiting(held, 2, reset.done);
      await held.release();
      const [loggedIn, wasReset] = await Promise.all([login.done, reset.done]);
      expect(loggedIn.code, loggedIn.stderr).toBe(0);
      expect(wasReset.code, wasReset.stderr).toBe(0);
    } finally {
      await held.release();
    }
    // The login came first and the reset ended it, as one after the other would.
    expect(await sessionsOf(database, ids.Rui)).toBe(0);
    const after = door.run(['event', 'list']);
    expect(after.code).toBe(5);
    expect(after.stderr).toContain('the login session of Rui has ended');
    expect(door.run(['event', 'list'], as('Rui', '5678')).code).toBe(0);
  }, 120_000);

  it('a login whose PIN was read before a reset is checked again: the old PIN is refused, and its rehash does not undo the new one', async () => {
    const { database, ids, env, terminal } = await staffed();
    // An older, cheaper hash: a right PIN is rehashed at today's cost when it is accepted.
    await database.query('update staff set pin_hash = $1 where id = $2', [await hashPin('2222', { N: 2 ** 14, r: 8, p: 1 }), ids.Rui]);
    const door = terminal();
    // The pause: the login has checked the PIN and is ending its check.
    const held = await pauseAt(database, 'pin_checks', 'delete', `old.staff_id = ${ids.Rui}`);
    const login = start([BIN, 'login', 'Rui'], { ...door.env, BOXOFFICE_PIN: '2222' });
    try {
      await held.waitForWaiters(1, [login.done]);
      const reset = await start([BIN, 'staff', 'pin', 'Rui', '--pin', '5678'], { ...env, ...as('Ana', '1111') }).done;
      expect(reset.code, reset.stderr).toBe(0);
      await held.release();
      // As if the reset had come first: the old PIN is wrong.
      const refused = await login.done;
      expect(refused.code, refused.stdout).toBe(5);
      expect(refused.stderr).toContain('wrong operator name or PIN');
    } finally {
      await held.release();
    }
    expect(await sessionsOf(database, ids.Rui)).toBe(0);
    const [{ pin_hash: stored }] = await database.query<{ pin_hash: string }>('select pin_hash from staff where id = $1', [ids.Rui]);
    expect(await verifyPin('5678', stored)).toBe(true);
    expect(door.run(['event', 'list'], as('Rui', '5678')).code).toBe(0);
  }, 120_000);

  it("two logins at once with an old, cheaper hash: both pass, and the PIN is rehashed once at today's cost", async () => {
    const { database, ids, terminal } = await staffed();
    await database.query('update staff set pin_hash = $1 where id = $2', [await hashPin('2222', { N: 2 ** 14, r: 8, p: 1 }), ids.Rui]);
    const held = await pauseAt(database, 'pin_checks', 'delete', `old.staff_id = ${ids.Rui}`);
    const logins = [terminal(), terminal()].map((t) => start([BIN, 'login', 'Rui'], { ...t.env, BOXOFFICE_PIN: '2222' }));
    try {
      // Both read the old hash and checked the PIN against it; each brings its own new hash.
      await held.waitForWaiters(
        2,
        logins.map((l) => l.done),
      );
      await held.release();
      for (const l of logins) {
        const done = await l.done;
        expect(done.code, done.stderr).toBe(0);
      }
    } finally {
      await held.release();
    }
    expect(await sessionsOf(database, ids.Rui)).toBe(2);
    const [{ pin_hash: stored }] = await database.query<{ pin_hash: string }>('select pin_hash from staff where id = $1', [ids.Rui]);
    expect(stored).toMatch(/^scrypt\$131072\$/);
    expect(await verifyPin('2222', stored)).toBe(true);
  }, 120_000);

  it.each([
    { command: 'unlock', by: [as('Ana', '1111'), as('Mia', '3333')], answer: { locked: false }, event: 'staff.unlocked', data: { failures: 10 } },
    { command: 'disable', by: [as('Ana', '1111'), as('Bea', '4444')], answer: { disabled: true }, event: 'staff.disabled', data: {} },
  ])(
    'staff $command run twice at once: both answer as alone, it is recorded once',
    async ({ command, by, answer, event, data }) => {
      const { database, ids, env } = await staffed();
      await database.query("update staff set pin_failures = 10, pin_failed_at = '2027-01-01T00:00:00.000Z' where id = $1", [ids.Rui]);
      // Both have read the member and wait to write.
      const held = await holdLock(database, 'select * from staff where id = $1 for update', [ids.Rui]);
      const racers = by.map((who) => start([BIN, '--json', 'staff', command, 'Rui'], { ...env, ...who }));
      try {
        await held.waitForWaiters(
          2,
          racers.map((r) => r.done),
        );
      } finally {
        await held.release();
      }
      for (const r of racers) {
        const done = await r.done;
        expect(done.code, done.stderr).toBe(0);
        expect(JSON.parse(done.stdout)).toMatchObject({ name: 'Rui', ...answer });
      }
      const recorded = await database.query<{ data: string }>('select data from outbox where type = $1', [event]);
      expect(recorded.map((r) => JSON.parse(r.data))).toEqual([expect.objectContaining({ name: 'Rui', ...data })]);
    },
    120_000,
  );

  it('two admins disabling each other at once: one wins, the other is refused as the last admin', async () => {
    const { database, ids, terminal } = await staffed();
    // Logged in, so the commands read no staff row for update before they start (a PIN check would).
    const ana = terminal();
    const bea = terminal();
    expect(ana.run(['login', 'Ana'], { BOXOFFICE_PIN: '1111' }).code).toBe(0);
    expect(bea.run(['login', 'Bea'], { BOXOFFICE_PIN: '4444' }).code).toBe(0);
    // Both count the admins (two) before either writes.
    const held = await holdLock(database, 'select count(*) from (select id from staff where id in ($1, $2) for update) locked', [ids.Ana, ids.Bea]);
    const racers = [start([BIN, 'staff', 'disable', 'Bea'], ana.env), start([BIN, 'staff', 'disable', 'Ana'], bea.env)];
    try {
      await held.waitForWaiters(
        2,
        racers.map((r) => r.done),
      );
    } finally {
      await held.release();
    }
    const exits = await Promise.all(racers.map((r) => r.done));
    expect(exits.map((e) => e.code).sort()).toEqual([0, 4]);
    expect(exits.find((e) => e.code === 4)!.stderr).toMatch(/(Ana|Bea) is the last admin and cannot be disabled/);
    expect(await count(database, "select count(*) as n from staff where role = 'admin' and disabled = 0")).toBe(1);
    expect(await count(database, "select count(*) as n from outbox where type = 'staff.disabled'")).toBe(1);
  }, 120_000);

  it('wrong PINs of one member from several processes, counted at the same instant: every one counts', async () => {
    const { database, ids } = await staffed();
    const CHECKERS = 6;
    const checkers = Array.from({ length: CHECKERS }, () => {
      const c = start([PIN_CHECKER, JSON.stringify({ db: database.url, staffId: ids.Rui, name: 'Rui' })], {});
      const started = new Promise<void>((resolve, reject) => {
        c.child.stdout!.on('data', (d) => (String(d).includes('"started":true') ? resolve() : reject(new Error(String(d)))));
        void c.done.then((e) => reject(new Error(`a checker ended before it started: ${e.stderr}`)));
      });
      return { ...c, started };
    });
    // Every check under way (none has counted yet), then all count at once: the test holds the
    // member's row until every process waits to write its failure.
    await Promise.all(checkers.map((c) => c.started));
    const held = await holdLock(database, 'select * from staff where id = $1 for update', [ids.Rui]);
    for (const c of checkers) c.child.stdin!.end('finish\n');
    try {
      await held.waitForWaiters(
        CHECKERS,
        checkers.map((c) => c.done),
      );
    } finally {
      await held.release();
    }
    for (const c of checkers) expect((await c.done).code).toBe(0);
    const [member] = await database.query<{ pin_failures: string }>('select pin_failures from staff where id = $1', [ids.Rui]);
    expect(Number(member.pin_failures)).toBe(CHECKERS);
    const recorded = await database.query<{ data: string }>("select data from outbox where type = 'staff.login_failed'");
    expect(recorded.map((r) => JSON.parse(r.data).failures).sort((a, b) => a - b)).toEqual(Array.from({ length: CHECKERS }, (_, i) => i + 1));
  }, 120_000);
});
