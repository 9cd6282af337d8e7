// Logging in, through the real binary: PIN guessing backs off and locks, failures are recorded,
// a login belongs to one database, and a clerk is told why a paid order cannot be cancelled.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, preparedSandbox, sandbox } from './helpers/cli.js';
import { hashPin } from '../src/core/staff/pin.js';

const as = (name: string, pin: string) => ({ BOXOFFICE_OPERATOR: name, BOXOFFICE_PIN: pin });

function sqlite<T>(file: string, work: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Pretends the member's last failed PIN was long ago, as if the back-off had been waited out. */
const waitOutBackOff = (file: string, name: string) => sqlite(file, (db) => db.prepare("update staff set pin_failed_at = '2000-01-01T00:00:00.000Z' where name = ?").run(name));

const failures = (file: string) => sqlite(file, (db) => db.prepare("select data from outbox where type = 'staff.login_failed' order by seq").pluck().all() as string[]).map((d) => JSON.parse(d));

describe('PIN guessing', () => {
  const box = preparedSandbox();
  beforeAll(() => {
    expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
    for (const [name, role, pin] of [
      ['Rui', 'clerk', '2222'],
      ['Mia', 'manager', '3333'],
      ['Eva', 'clerk', '5555'],
    ]) {
      expect(box.run(['staff', 'add', name, '--role', role, '--pin', pin], as('Ana', '1111')).code).toBe(0);
    }
  });
  afterAll(() => box.cleanup());

  it('after three wrong PINs even the right one is refused, unchecked, until the back-off has passed; success resets the count', () => {
    for (let i = 0; i < 3; i++) {
      const wrong = box.run(['event', 'list'], as('Rui', String(9000 + i)));
      expect(wrong.code).toBe(5);
      expect(wrong.stderr).toContain('wrong operator name or PIN');
    }
    const refused = box.run(['event', 'list'], as('Rui', '2222'));
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/too many wrong PINs for Rui: try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    // `login` goes through the same check.
    expect(box.run(['login', 'Rui'], { BOXOFFICE_PIN: '2222' }).stderr).toContain('too many wrong PINs');
    waitOutBackOff(box.db, 'Rui');
    expect(box.run(['event', 'list'], as('Rui', '2222')).code).toBe(0);
    // The count started again: one more mistake is not held against Rui.
    expect(box.run(['event', 'list'], as('Rui', '0000')).code).toBe(5);
    expect(box.run(['event', 'list'], as('Rui', '2222')).code).toBe(0);
  });

  it('records each failure in the event log, known names and unknown ones alike', () => {
    const before = failures(box.db).length;
    expect(box.run(['event', 'list'], as('Mia', '0001')).code).toBe(5);
    const unknown = box.run(['event', 'list'], as('Nobody', '0001'));
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('wrong operator name or PIN');
    // A known name and an unknown one get the same answer, and it tells the rule before it applies.
    const known = box.run(['event', 'list'], as('Mia', '0002'));
    expect(known.stderr).toBe(unknown.stderr);
    expect(known.stderr).toMatch(/hint: after 3 wrong PINs in a row each attempt waits .*10 lock the member/);
    const recorded = failures(box.db).slice(before);
    expect(recorded).toEqual([
      expect.objectContaining({ name: 'Mia', failures: 1, locked: false }),
      expect.objectContaining({ id: null, name: 'Nobody' }),
      expect.objectContaining({ name: 'Mia', failures: 2, locked: false }),
    ]);
    expect(box.run(['event', 'list'], as('Mia', '3333')).code).toBe(0);
  });

  it('ten wrong PINs in a row lock the member until a manager unlocks them', () => {
    // As if Eva had already got eight wrong, each after waiting out the back-off (the first test
    // shows the count growing one wrong PIN at a time); the ninth and tenth are tried for real.
    sqlite(box.db, (db) => db.prepare("update staff set pin_failures = 8 where name = 'Eva'").run());
    for (let i = 0; i < 2; i++) {
      waitOutBackOff(box.db, 'Eva');
      expect(box.run(['event', 'list'], as('Eva', String(7000 + i))).code).toBe(5);
    }
    waitOutBackOff(box.db, 'Eva');
    const locked = box.run(['event', 'list'], as('Eva', '5555'));
    expect(locked.code).toBe(5);
    expect(locked.stderr).toMatch(/Eva is locked after 10 wrong PINs/);
    expect(locked.stderr).toContain('boxoffice staff unlock Eva');
    expect(failures(box.db).at(-1)).toMatchObject({ name: 'Eva', failures: 10, locked: true });
    // A clerk may not unlock; a manager may.
    expect(box.run(['staff', 'unlock', 'Eva'], as('Rui', '2222')).code).toBe(5);
    const unlocked = box.run(['staff', 'unlock', 'Eva', '--json'], as('Mia', '3333'));
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.json).toMatchObject({ name: 'Eva', locked: false });
    expect(box.run(['event', 'list'], as('Eva', '5555')).code).toBe(0);
  });

  it('a PIN reset also unlocks', () => {
    sqlite(box.db, (db) => db.prepare("update staff set pin_failures = 10 where name = 'Eva'").run());
    expect(box.run(['staff', 'list', '--json'], as('Ana', '1111')).json.find((s: any) => s.name === 'Eva')).toMatchObject({ locked: true });
    expect(box.run(['staff', 'pin', 'Eva', '--pin', '5678'], as('Ana', '1111')).code).toBe(0);
    expect(box.run(['event', 'list'], as('Eva', '5678')).code).toBe(0);
  });

  it('an old, cheaper PIN hash still works and is rehashed at the current cost on login', async () => {
    const old = await hashPin('4444', { N: 16384, r: 8, p: 1 });
    expect(old.startsWith('scrypt$16384$')).toBe(true);
    sqlite(box.db, (db) => db.prepare("update staff set pin_hash = ? where name = 'Rui'").run(old));
    expect(box.run(['event', 'list'], as('Rui', '4444')).code).toBe(0);
    const now = sqlite(box.db, (db) => db.prepare("select pin_hash from staff where name = 'Rui'").pluck().get() as string);
    expect(now).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(box.run(['event', 'list'], as('Rui', '4444')).code).toBe(0);
  });
});

/** Runs the binary `n` times at once; resolves to each run's exit code and stderr. */
function runTogether(box: { dir: string; db: string }, n: number, args: string[], env: Record<string, string>) {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<{ code: number; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
        }),
    ),
  );
}

describe('PIN checks side by side', () => {
  const box = preparedSandbox();
  beforeAll(() => {
    expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
    expect(box.run(['staff', 'add', 'Rui', '--role', 'clerk', '--pin', '2222'], as('Ana', '1111')).code).toBe(0);
  });
  afterAll(() => box.cleanup());

  it('commands run at once as one operator all pass: a check under way is not a failure', async () => {
    const runs = await runTogether(box, 4, ['event', 'list'], as('Ana', '1111'));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
  });

  it('a burst of wrong PINs at once gets at most 8 checked; the rest are refused unchecked', async () => {
    const runs = await runTogether(box, 12, ['event', 'list'], as('Rui', '0000'));
    expect(runs.every((r) => r.code === 5)).toBe(true);
    const checked = runs.filter((r) => r.stderr.includes('wrong operator name or PIN')).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(8);
    expect(runs.filter((r) => /too many wrong PINs|under way/.test(r.stderr))).toHaveLength(12 - checked);
    expect(failures(box.db).filter((f) => f.name === 'Rui')).toHaveLength(checked);
  });
});

describe('a login belongs to one database', () => {
  const box = preparedSandbox();
  const home2 = path.join(box.dir, 'home2');
  beforeAll(() => {
    expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
    expect(box.run(['staff', 'add', 'Rui', '--role', 'clerk', '--pin', '2222'], as('Ana', '1111')).code).toBe(0);
    fs.mkdirSync(home2);
  });
  afterAll(() => box.cleanup());

  it('a login on database A lets init and commands on a new database B run, and still holds on A', () => {
    expect(box.run(['login', 'Ana'], { BOXOFFICE_PIN: '1111' }).code).toBe(0);
    const other = path.join(box.dir, 'other.db');
    const init = box.run(['--db', other, 'init', '--demo']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout + init.stderr).toContain('Created');
    const list = box.run(['--db', other, 'event', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json.length).toBeGreaterThan(0);
    expect(box.run(['--db', other, 'whoami']).stdout).toContain('single-user');
    expect(box.run(['whoami']).stdout).toContain('Ana (admin)');
  });

  it('a copy of the database (a backup) does not carry the login made on the original', () => {
    expect(box.run(['login', 'Ana'], { BOXOFFICE_PIN: '1111' }).code).toBe(0);
    const copy = path.join(box.dir, 'copy.db');
    expect(box.run(['backup', copy]).code).toBe(0);
    const who = box.run(['--db', copy, 'whoami']);
    expect(who.code).toBe(5);
    expect(who.stderr).toContain('not logged in');
    expect(box.run(['--db', copy, 'event', 'list']).code).toBe(5);
    expect(box.run(['whoami']).stdout).toContain('Ana (admin)');
  });

  it('init of an existing database with staff needs no operator', () => {
    const r = box.run(['init'], { HOME: home2 });
    expect(r.code, r.stderr).toBe(0);
  });

  it('two staff logged in on one database keep both sessions', () => {
    expect(box.run(['login', 'Ana'], { BOXOFFICE_PIN: '1111' }).code).toBe(0);
    expect(box.run(['login', 'Rui'], { HOME: home2, BOXOFFICE_PIN: '2222' }).code).toBe(0);
    expect(box.run(['whoami']).stdout).toContain('Ana (admin)');
    expect(box.run(['whoami'], { HOME: home2 }).stdout).toContain('Rui (clerk)');
    expect(sqlite(box.db, (db) => db.prepare('select count(distinct staff_id) from sessions').pluck().get())).toBe(2);
  });
});

describe('cancelling a paid order', () => {
  const box = preparedSandbox();
  afterAll(() => box.cleanup());

  it('a clerk is told that cancelling a paid order is a refund, which needs a manager', () => {
    expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
    expect(box.run(['staff', 'add', 'Mia', '--role', 'manager', '--pin', '3333'], as('Ana', '1111')).code).toBe(0);
    expect(box.run(['staff', 'add', 'Rui', '--role', 'clerk', '--pin', '2222'], as('Ana', '1111')).code).toBe(0);
    const byManager = box.run(['sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash', '--json'], as('Mia', '3333')).json.code;
    const byClerk = box.run(['sell', 'Gala', '--seats', 'A-2', '--tier', 'Adult', '--pay', 'cash', '--json'], as('Rui', '2222')).json.code;
    for (const code of [byManager, byClerk]) {
      const r = box.run(['order', 'cancel', code], as('Rui', '2222'));
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`order ${code} is paid: cancelling it is a refund, which needs a manager`);
      expect(r.stderr).not.toContain('another operator');
    }
    const manager = box.run(['order', 'cancel', byClerk], as('Mia', '3333'));
    expect(manager.code).toBe(4);
    expect(manager.stderr).toContain('refund it instead');
  });
});

describe('an unknown name', () => {
  it('is answered like a known one: the same refusal (the KDF runs against a dummy hash, see test/core/pin.test.ts)', () => {
    const box = sandbox();
    try {
      expect(box.run(['init']).code).toBe(0);
      expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111']).code).toBe(0);
      const known = box.run(['event', 'list'], as('Ana', '0000'));
      const unknown = box.run(['event', 'list'], as('Zed', '0000'));
      expect([known.code, known.stderr]).toEqual([unknown.code, unknown.stderr]);
    } finally {
      box.cleanup();
    }
  });
});
