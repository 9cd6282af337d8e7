// Bad input through the real binary: a one-line error that names the problem, the exit code of
// SPEC.md, and nothing written. Under --json the error is one JSON object on stderr, stdout empty.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, preparedSandbox, sandbox, type CliResult } from './helpers/cli.js';
import { databaseState, querySync } from './helpers/db.js';

/**
 * Every table's rows, digested (test/helpers/db.ts). With `exceptLoginFailures`, leaves out what a
 * refused PIN is meant to leave behind (its staff.login_failed event, the member's count of wrong
 * PINs and the PIN checks under way).
 */
function dbState(target: string, exceptLoginFailures = false) {
  if (!exceptLoginFailures) return databaseState(target);
  const { tables } = databaseState(target, (t: string) =>
    t === 'outbox' ? "select * from outbox where type <> 'staff.login_failed'" : t === 'staff' ? 'select id, name, role, pin_hash, disabled, created_at from staff' : `select * from ${t}`,
  );
  return { tables, maxSeq: null };
}

/** A human error: stdout empty, stderr `error: …` naming the problem on one line (a hint line may follow), no stack. */
function expectHumanError(r: CliResult, exit: number, message: RegExp) {
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.code).toBe(exit);
}

/** A machine error: stdout empty, stderr exactly one JSON object `{"error":{"code","message",…}}`. */
function expectJsonError(r: CliResult, exit: number, code: string, message: RegExp) {
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  const body = JSON.parse(r.stderr);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
  expect(r.code).toBe(exit);
  return body.error as { code: string; message: string; hint?: string };
}

// One database for the whole file; the staff cases come last, since once staff exist every command
// needs an operator.
let box: ReturnType<typeof preparedSandbox>;
beforeAll(() => {
  box = preparedSandbox();
  // An event with a small per-order limit, on the same venue.
  for (const args of [
    ['event', 'add', 'Matinee', '--venue', 'Main Hall', '--starts', '2027-03-02T15:00', '--order-limit', '4'],
    ['event', 'price', 'Matinee', '--tier', 'Adult', '--price', '10'],
    ['event', 'publish', 'Matinee'],
  ]) {
    const r = box.run(args);
    if (r.code !== 0) throw new Error(`setup ${args.join(' ')}: ${r.stderr}`);
  }
});
afterAll(() => box?.cleanup());

describe('rejected input writes nothing and exits with the contract code', () => {
  const sellA1 = ['sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash'];
  const tendered = (amount: string) => [...sellA1, '--tendered', amount];

  it.each([
    // Not found: a well-formed reference to nothing (3).
    { what: 'unknown event', args: ['sell', 'Nope', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash'], exit: 3, code: 'not_found', message: /event.*Nope/ },
    { what: 'unknown seat Z-99', args: ['sell', 'Gala', '--seats', 'A-1,Z-99', '--tier', 'Adult', '--pay', 'cash'], exit: 3, code: 'not_found', message: /Z-99/ },
    { what: 'unknown tier', args: ['sell', 'Gala', '--seats', 'A-1', '--tier', 'Senior', '--pay', 'cash'], exit: 3, code: 'not_found', message: /tier.*Senior/ },
    // Malformed input (2).
    { what: 'seat without a dash (A12)', args: ['sell', 'Gala', '--seats', 'A12', '--tier', 'Adult', '--pay', 'cash'], exit: 2, code: 'invalid_input', message: /A12/ },
    { what: 'seat number not a number (A-x)', args: ['sell', 'Gala', '--seats', 'A-x', '--tier', 'Adult', '--pay', 'cash'], exit: 2, code: 'invalid_input', message: /A-x/ },
    { what: 'negative money', args: tendered('-5'), exit: 2, code: 'invalid_input', message: /tendered.*-5/ },
    { what: 'non-numeric money', args: tendered('abc'), exit: 2, code: 'invalid_input', message: /tendered.*abc/ },
    { what: 'more decimals than EUR has', args: tendered('10.001'), exit: 2, code: 'invalid_input', message: /10\.001.*decimals/ },
    { what: 'thousands separators', args: tendered('1,000.00'), exit: 2, code: 'invalid_input', message: /tendered.*1,000\.00/ },
    { what: 'a currency symbol', args: tendered('€10'), exit: 2, code: 'invalid_input', message: /tendered.*€10/ },
    { what: 'tendered less than the total', args: tendered('20'), exit: 2, code: 'invalid_input', message: /less than the total/ },
    { what: 'more tickets than the order limit (--seats)', args: ['hold', 'Matinee', '--seats', 'B-1,B-2,B-3,B-4,B-5'], exit: 2, code: 'order_limit_exceeded', message: /4/ },
    { what: 'more tickets than the order limit (--quantity)', args: ['sell', 'Matinee', '--quantity', '5', '--tier', 'Adult', '--pay', 'cash'], exit: 2, code: 'order_limit_exceeded', message: /4/ },
    {
      what: 'tier counts not adding up to the seats',
      args: ['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult=1,Child=2', '--pay', 'cash'],
      exit: 2,
      code: 'invalid_input',
      message: /add up to 3.*2 seats/,
    },
    { what: 'missing required option', args: ['sell', 'Gala', '--seats', 'A-1', '--pay', 'cash'], exit: 2, code: 'invalid_input', message: /--tier/ },
    { what: 'unknown command', args: ['frobnicate', 'Gala'], exit: 2, code: 'invalid_input', message: /frobnicate/ },
    // Dates JavaScript would read as another year (0099 as 1999, 0100 as a time in the Roman era).
    {
      what: 'a start in the year 0099',
      args: ['event', 'add', 'Old', '--venue', 'Main Hall', '--starts', '0099-01-01T20:00'],
      exit: 2,
      code: 'invalid_input',
      message: /--starts must be in the years 1970 to 9999.*0099-01-01T20:00/,
    },
    {
      what: 'a start in the year 0100',
      args: ['event', 'add', 'Old', '--venue', 'Main Hall', '--starts', '0100-01-01T20:00'],
      exit: 2,
      code: 'invalid_input',
      message: /--starts must be in the years 1970 to 9999/,
    },
    {
      what: 'an end in the year 0000',
      args: ['event', 'add', 'Old', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00', '--ends', '0000-03-01T22:00'],
      exit: 2,
      code: 'invalid_input',
      message: /--ends must be in the years 1970 to 9999/,
    },
    { what: 'a --from filter in the year 0099', args: ['event', 'list', '--from', '0099-01-01'], exit: 2, code: 'invalid_input', message: /--from must be in the years 1970 to 9999/ },
    { what: 'a report day that does not exist', args: ['report', 'sales', '--from', '2027-02-30'], exit: 2, code: 'invalid_input', message: /--from.*2027-02-30/ },
    // Three letters are not a currency unless ISO 4217 has them.
    {
      what: 'an unknown currency',
      args: ['event', 'add', 'Odd', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00', '--currency', 'XYZ'],
      exit: 2,
      code: 'invalid_input',
      message: /unknown currency: XYZ/,
    },
    {
      what: 'a currency code that is not money (XXX)',
      args: ['event', 'add', 'Odd', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00', '--currency', 'xxx'],
      exit: 2,
      code: 'invalid_input',
      message: /unknown currency: XXX/,
    },
    // Amounts beyond the most one amount may be (totals of them would no longer be exact).
    {
      what: 'a price near 2^53 minor units',
      args: ['event', 'price', 'Gala', '--tier', 'Big', '--price', '90071992547409.91'],
      exit: 2,
      code: 'invalid_input',
      message: /price 90071992547409\.91 is more than the most one amount may be \(10000000\.00 EUR\)/,
    },
    { what: 'a price one cent over the most', args: ['event', 'price', 'Gala', '--tier', 'Big', '--price', '10000000.01'], exit: 2, code: 'invalid_input', message: /price 10000000\.01 is more than/ },
    { what: 'a tendered amount over the most', args: tendered('90071992547409.91'), exit: 2, code: 'invalid_input', message: /tendered 90071992547409\.91 is more than/ },
  ])('$what: exit $exit, names the problem, writes nothing', ({ args, exit, code, message }) => {
    const before = dbState(box.db);

    expectHumanError(box.run(args), exit, message);
    expectJsonError(box.run([...args, '--json']), exit, code, message);

    expect(dbState(box.db)).toEqual(before);
  });

  it('the same requests succeed once corrected (the refusals above are about the input, not the set-up)', () => {
    const before = dbState(box.db);
    const ok = box.run(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult=1,Child=1', '--pay', 'cash', '--tendered', '40.00', '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ status: 'paid', total: 3750, currency: 'EUR' });
    const limit = box.run(['sell', 'Matinee', '--best', '4', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(limit.code).toBe(0);
    expect(limit.json.tickets).toHaveLength(4);
    expect(dbState(box.db).maxSeq).toBeGreaterThan(before.maxSeq ?? 0);
  });

  it('no database file: exit 3 with a hint to run init, and no file is created', () => {
    const missing = path.join(box.dir, 'nowhere', 'missing.db');
    const env = { BOXOFFICE_DB: missing };

    const human = box.run(sellA1, env);
    expectHumanError(human, 3, /no database/);
    expect(human.stderr).toMatch(/boxoffice --db \S*missing\.db init/);

    const error = expectJsonError(box.run([...sellA1, '--json'], env), 3, 'database_missing', /missing\.db/);
    expect(`${error.message} ${error.hint ?? ''}`).toMatch(/boxoffice --db \S*missing\.db init/);

    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('the most one amount may be keeps every total exact', () => {
  it('three tickets at the most make exactly three times it, in the order, the refund and the report', () => {
    for (const args of [
      ['event', 'add', 'Premiere', '--venue', 'Main Hall', '--starts', '2027-04-01T20:00'],
      ['event', 'price', 'Premiere', '--tier', 'Patron', '--price', '10000000.00'],
      ['event', 'publish', 'Premiere'],
    ]) {
      const r = box.run(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const sale = box.run(['sell', 'Premiere', '--seats', 'E-1,E-2,E-3', '--tier', 'Patron', '--pay', 'card', '--card-ref', 'T-9', '--json']);
    expect(sale.code, sale.stderr).toBe(0);
    expect(sale.json).toMatchObject({ status: 'paid', total: 3_000_000_000, currency: 'EUR' });
    expect(sale.json.tickets.map((t: any) => t.price)).toEqual([1_000_000_000, 1_000_000_000, 1_000_000_000]);
    const over = box.run(['order', 'refund', sale.json.code, '--amount', '90071992547409.91', '--yes']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/refund amount 90071992547409\.91 is more than the most one amount may be/);
    const refund = box.run(['order', 'refund', sale.json.code, '--amount', '9999999.99', '--yes', '--json']);
    expect(refund.code, refund.stderr).toBe(0);
    const report = box.run(['report', 'sales', '--event', 'Premiere', '--json']);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.stringify(report.json)).toContain('3000000000');
    expect(JSON.stringify(report.json)).toContain('2000000001');
  });
});

/** The binary run by several processes at once (spawnSync would run them one after another). */
function runAtOnce(runs: { args: string[]; env: Record<string, string> }[]): Promise<CliResult[]> {
  return Promise.all(
    runs.map(
      ({ args, env }) =>
        new Promise<CliResult>((resolve) => {
          const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, json: undefined }));
        }),
    ),
  );
}

describe('terminals at once: a domain answer, never exit 1', () => {
  it('two sales of one seat at once: one sells it, the other is refused as any later sale is (the same words on both databases)', async () => {
    const sell = ['sell', 'Gala', '--seats', 'F-1', '--tier', 'Adult', '--pay', 'cash'];
    const env = { HOME: box.dir, BOXOFFICE_DB: box.db };
    const exits = await runAtOnce([
      { args: sell, env },
      { args: sell, env },
    ]);
    expect(exits.map((e) => e.code).sort(), JSON.stringify(exits)).toEqual([0, 4]);
    const refused = 'error: not available: F-1 is sold\nhint: choose other seats, or --best N\n';
    expect(exits.find((e) => e.code === 4)!.stderr).toBe(refused);
    expect(box.run(sell).stderr).toBe(refused);
    expect(querySync(box.db, "select count(*) as n from tickets t join seats s on s.id = t.seat_id where s.row_label = 'F' and s.number = 1 and t.status = 'valid'")[0].n).toBe(1);
  });

  it('init --demo by three processes at once on a new database: the demo once, every process exit 0', async () => {
    const fresh = sandbox();
    try {
      const env = { HOME: fresh.dir, BOXOFFICE_DB: fresh.db };
      const exits = await runAtOnce([1, 2, 3].map(() => ({ args: ['init', '--demo', '--no-input'], env })));
      for (const e of exits) {
        expect(e.code, e.stderr).toBe(0);
        expect(e.stderr).not.toMatch(/error/);
      }
      const said = exits.map((e) => e.stderr.split('\n')[1]).sort();
      expect(said).toEqual(['Added the demo venues and events. Next: boxoffice event list', 'The demo data is already there.', 'The demo data is already there.']);
      expect(exits.filter((e) => e.stderr.startsWith('Created ')).length).toBe(1);
      expect(querySync(fresh.db, 'select name from venues order by name').map((r) => r.name)).toEqual(['Riverside Theatre', 'The Cellar Club']);
      expect(querySync(fresh.db, 'select count(*) as n from events')[0].n).toBe(3);
      expect(querySync(fresh.db, 'select count(*) as n from seats')[0].n).toBe(12 * 20 + 5 * 16);
    } finally {
      fresh.cleanup();
    }
  });
});

describe('exit 5: not permitted for this operator', () => {
  let orderCode: string;
  const admin = { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' };
  const clerk = { BOXOFFICE_OPERATOR: 'Rui', BOXOFFICE_PIN: '1357' };

  beforeAll(() => {
    const sale = box.run(['sell', 'Gala', '--seats', 'C-1,C-2', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'T-1', '--json']);
    if (sale.code !== 0) throw new Error(`setup sale: ${sale.stderr}`);
    orderCode = sale.json.code;
    const first = box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821']);
    if (first.code !== 0) throw new Error(`setup staff add Ana: ${first.stderr}`);
    const second = box.run(['staff', 'add', 'Rui', '--role', 'clerk', '--pin', '1357'], admin);
    if (second.code !== 0) throw new Error(`setup staff add Rui: ${second.stderr}`);
  });

  it('a clerk may not refund: exit 5, the message names the role needed, nothing written', () => {
    const before = dbState(box.db);
    const refund = ['order', 'refund', orderCode, '--yes'];

    expectHumanError(box.run(refund, clerk), 5, /manager/);
    const error = expectJsonError(box.run([...refund, '--json'], clerk), 5, 'forbidden', /refund/);
    expect(error.message).toMatch(/manager/);

    expect(dbState(box.db)).toEqual(before);
  });

  it.each<{ who: string; env: Record<string, string>; message: RegExp }>([
    { who: 'a wrong PIN', env: { BOXOFFICE_OPERATOR: 'Rui', BOXOFFICE_PIN: '0000' }, message: /PIN/ },
    { who: 'an unknown operator', env: { BOXOFFICE_OPERATOR: 'Nobody', BOXOFFICE_PIN: '1357' }, message: /operator|PIN/ },
    { who: 'a name without a PIN', env: { BOXOFFICE_OPERATOR: 'Rui' }, message: /BOXOFFICE_OPERATOR|who/ },
    { who: 'no operator at all', env: {}, message: /BOXOFFICE_OPERATOR|who/ },
  ])('$who once staff exist: exit 5, nothing written but the failed login', ({ env, message }) => {
    const before = dbState(box.db, true);
    const sell = ['sell', 'Gala', '--seats', 'D-1', '--tier', 'Adult', '--pay', 'cash'];

    const human = box.run(sell, env);
    expect(human.code).toBe(5);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(message);
    expectJsonError(box.run([...sell, '--json'], env), 5, 'not_authenticated', /./);

    expect(dbState(box.db, true)).toEqual(before);
  });

  it('with the right PIN the clerk sells and the admin refunds (the refusals above are about the operator)', () => {
    const sale = box.run(['sell', 'Gala', '--seats', 'D-1', '--tier', 'Adult', '--pay', 'cash', '--json'], clerk);
    expect(sale.code).toBe(0);
    expect(sale.json).toMatchObject({ status: 'paid', operator: 'Rui' });

    const refund = box.run(['order', 'refund', orderCode, '--yes', '--json'], admin);
    expect(refund.code).toBe(0);
    expect(refund.json.status).toBe('refunded');
  });
});
