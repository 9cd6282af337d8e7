// BOXOFFICE_NOW moves the box office's clock, for rehearsals and tests. It must never let an
// operator do what the real clock would not: it is honoured only while no staff are defined or on
// a database an admin marked as a rehearsal database, never for login sessions, and never to date
// a change before what is already recorded (so no payment lands in a closed Z period).
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { preparedSandbox, sandbox, type CliResult } from './helpers/cli.js';

const HOUR = 3_600_000;
const ANA = { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' };
const MIA = { BOXOFFICE_OPERATOR: 'Mia', BOXOFFICE_PIN: '3333' };
const CARL = { BOXOFFICE_OPERATOR: 'Carl', BOXOFFICE_PIN: '1111' };
const GATE = { BOXOFFICE_OPERATOR: 'Gate', BOXOFFICE_PIN: '4444' };
const at = (ms: number) => ({ BOXOFFICE_NOW: new Date(ms).toISOString() });

/** The prepared database with an admin, a manager, a clerk and a door operator. */
function staffedBox() {
  const box = preparedSandbox();
  const ok = (args: string[], env: Record<string, string> = ANA): CliResult => {
    const r = box.run(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  ok(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821'], {});
  ok(['staff', 'add', 'Mia', '--role', 'manager', '--pin', '3333']);
  ok(['staff', 'add', 'Carl', '--role', 'clerk', '--pin', '1111']);
  ok(['staff', 'add', 'Gate', '--role', 'door', '--pin', '4444']);
  return { ...box, ok };
}

const paymentCount = (box: ReturnType<typeof staffedBox>) => box.ok(['--json', 'order', 'list'], MIA).json.length;

describe('on a live database with staff', () => {
  const box = staffedBox();
  afterAll(() => box.cleanup());

  it('a clerk with BOXOFFICE_NOW in the past cannot sell, and the Z report chain stays valid', () => {
    box.ok(['sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash'], CARL);
    box.ok(['report', 'cashup', '--operator', 'Carl', '--counted', '25', '--close'], MIA);
    const before = paymentCount(box);
    const back = box.run(['sell', 'Gala', '--seats', 'A-2', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(Date.now() - HOUR) });
    expect(back.code).toBe(5);
    expect(back.stdout).toBe('');
    expect(back.stderr).toMatch(/BOXOFFICE_NOW/);
    expect(back.stderr).toMatch(/rehearsal/);
    const json = box.run(['--json', 'sell', 'Gala', '--seats', 'A-2', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(Date.now() - HOUR) });
    expect(JSON.parse(json.stderr).error.code).toBe('moved_clock_not_permitted');
    expect(paymentCount(box)).toBe(before);
    expect(box.ok(['report', 'zreports', '--verify'], MIA).stderr).toMatch(/chain intact/);
    box.ok(['report', 'cashup'], MIA);
  });

  it("a clerk or door operator cannot expire a manager's hold by moving the clock", () => {
    const hold = box.ok(['--json', 'hold', 'Gala', '--seats', 'C-1', '--tier', 'Adult', '--minutes', '15'], MIA).json;
    for (const who of [CARL, GATE]) {
      const r = box.run(['expire'], { ...who, ...at(Date.now() + 2 * HOUR) });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/BOXOFFICE_NOW/);
    }
    // Nor take its seat as if the hold had lapsed.
    expect(box.run(['sell', 'Gala', '--seats', 'C-1', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(Date.now() + 2 * HOUR) }).code).toBe(5);
    expect(box.ok(['--json', 'order', 'show', hold.code], MIA).json.status).toBe('pending');
  });

  it("even an admin's moved clock is refused, for reads too: never silently ignored", () => {
    const r = box.run(['event', 'list'], { ...ANA, ...at(Date.now() + HOUR) });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/rehearsal/);
  });

  it('login with BOXOFFICE_NOW set is refused here, not given a session until 2100', () => {
    const r = box.run(['login', 'Carl', '--hours', '168'], { BOXOFFICE_PIN: '1111', BOXOFFICE_NOW: '2100-01-01T00:00:00Z' });
    expect(r.code).toBe(5);
    expect(box.run(['whoami']).code).toBe(5);
  });

  it('a clerk cannot mark the database as a rehearsal database', () => {
    const r = box.run(['init', '--rehearsal'], CARL);
    expect(r.code).toBe(5);
    expect(box.ok(['--json', 'whoami'], CARL).json.rehearsal).toBe(false);
  });

  it('a BOXOFFICE_NOW that is not a time is a usage error', () => {
    expect(box.run(['event', 'list'], { ...ANA, BOXOFFICE_NOW: 'tomorrow' }).code).toBe(2);
  });
});

describe('on a rehearsal database', () => {
  const box = staffedBox();
  afterAll(() => box.cleanup());
  const T0 = Date.parse('2027-02-01T10:00:00Z');

  it('an admin marks it (for good); whoami and the log show it', () => {
    expect(box.ok(['--json', 'whoami'], CARL).json).toMatchObject({ rehearsal: false, clockMoved: false });
    const marked = box.ok(['init', '--rehearsal'], ANA);
    expect(marked.stderr).toMatch(/rehearsal database/);
    expect(box.ok(['whoami'], CARL).stdout).toMatch(/rehearsal database/);
    const who = box.ok(['--json', 'whoami'], { ...CARL, ...at(T0 - HOUR) }).json;
    expect(who).toMatchObject({ operator: 'Carl', rehearsal: true, clockMoved: true });
    expect(who.clock).toMatch(/^2027-02-01T09:00/);
    const log = box.ok(['--json', 'log', '--type', 'database'], ANA).json;
    expect(log).toEqual([expect.objectContaining({ type: 'database.marked_rehearsal', operator: 'Ana' })]);
    // Marking again changes nothing.
    box.ok(['init', '--rehearsal'], ANA);
    expect(box.ok(['--json', 'log', '--type', 'database'], ANA).json).toHaveLength(1);
  });

  it('a rehearsal copy is another database: its own URN on the feed, no cursors of the original', () => {
    const live = sandbox();
    try {
      expect(live.run(['init', '--demo']).code).toBe(0);
      const source = () => JSON.parse(live.run(['sync', 'export', '--since', '0']).stdout.split('\n')[0]).source;
      const original = source();
      expect(live.run(['sync', 'export', '--consumer', 'crm', '--to', path.join(live.dir, 'feed.ndjson')]).code).toBe(0);
      const copy = path.join(live.dir, 'rehearsal.db');
      expect(live.run(['backup', copy]).code).toBe(0);
      expect(live.run(['--db', copy, 'init', '--rehearsal']).code).toBe(0);
      const first = JSON.parse(live.run(['--db', copy, 'sync', 'export', '--since', '0']).stdout.split('\n')[0]);
      expect(first.source).toMatch(/^urn:boxoffice:/);
      expect(first.source).not.toBe(original);
      expect(source()).toBe(original);
      expect(live.run(['--json', 'sync', 'status']).json.map((c: { name: string }) => c.name)).toEqual(['crm']);
      expect(live.run(['--db', copy, '--json', 'sync', 'status']).json).toEqual([]);
    } finally {
      live.cleanup();
    }
  });

  it("staff may move the clock: a clerk sells at the rehearsal's time", () => {
    const sale = box.ok(['--json', 'sell', 'Gala', '--seats', 'B-1', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(T0) }).json;
    expect(sale.paidAt).toMatch(/^2027-02-01T10:00/);
    expect(sale.payments[0].createdAt).toMatch(/^2027-02-01T10:00/);
  });

  it('a back-dated write before the last closed Z period is refused (exit 4 naming the time); reads are fine', () => {
    const closed = box.ok(['--json', 'report', 'cashup', '--operator', 'Carl', '--counted', '25', '--close'], { ...MIA, ...at(T0 + HOUR) }).json.closed;
    expect(closed.periodEnd).toMatch(/^2027-02-01T11:00/);
    const before = paymentCount(box);
    const back = box.run(['sell', 'Gala', '--seats', 'B-2', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(T0 + HOUR / 2) });
    expect(back.code).toBe(4);
    expect(back.stderr).toContain(closed.periodEnd);
    expect(back.stderr).toMatch(/Z report 1/);
    const json = box.run(['--json', 'sell', 'Gala', '--seats', 'B-2', '--tier', 'Adult', '--pay', 'cash'], { ...CARL, ...at(T0 + HOUR / 2) });
    expect(JSON.parse(json.stderr).error.code).toBe('backdated_write');
    expect(paymentCount(box)).toBe(before);
    // Reading the past is what a moved clock is for.
    box.ok(['--json', 'order', 'list'], { ...MIA, ...at(T0 - 24 * HOUR) });
    expect(box.ok(['report', 'zreports', '--verify'], { ...MIA, ...at(T0 - 24 * HOUR) }).stderr).toMatch(/chain intact/);
    box.ok(['report', 'cashup'], { ...MIA, ...at(T0 + 2 * HOUR) });
  });

  it('nothing is dated before the newest entry of the log, even outside any Z period', () => {
    box.ok(['hold', 'Gala', '--seats', 'B-3', '--tier', 'Adult'], { ...CARL, ...at(T0 + 3 * HOUR) });
    const back = box.run(['hold', 'Gala', '--seats', 'B-4', '--tier', 'Adult'], { ...MIA, ...at(T0 + 2 * HOUR) });
    expect(back.code).toBe(4);
    expect(back.stderr).toMatch(/2027-02-01T13:00/);
    // Later than everything recorded: fine.
    box.ok(['hold', 'Gala', '--seats', 'B-4', '--tier', 'Adult'], { ...MIA, ...at(T0 + 4 * HOUR) });
  });

  it('login with BOXOFFICE_NOW=2100 gets a session on the real clock, which a moved clock neither ends nor stretches', () => {
    const before = Date.now();
    const login = box.ok(['--json', 'login', 'Carl', '--hours', '168'], { BOXOFFICE_PIN: '1111', BOXOFFICE_NOW: '2100-01-01T00:00:00Z' }).json;
    const expires = Date.parse(login.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 168 * HOUR);
    expect(expires).toBeLessThanOrEqual(Date.now() + 168 * HOUR);
    // The box office's clock in 2100 does not end the session either: it is the real clock's.
    const who = box.ok(['--json', 'whoami'], { BOXOFFICE_NOW: '2100-01-01T00:00:00Z' }).json;
    expect(who).toMatchObject({ operator: 'Carl', via: 'login session', expiresAt: login.expiresAt });
    box.ok(['logout'], {});
  });
});

describe('single-user (no staff defined)', () => {
  const box = preparedSandbox();
  afterAll(() => box.cleanup());

  it('honours the clock, and still refuses to date a change before what is recorded', () => {
    const later = box.run(['--json', 'sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash'], { BOXOFFICE_NOW: '2027-02-01T10:00:00Z' });
    expect(later.code, later.stderr).toBe(0);
    expect(later.json.paidAt).toMatch(/^2027-02-01T10:00/);
    const back = box.run(['sell', 'Gala', '--seats', 'A-2', '--tier', 'Adult', '--pay', 'cash'], { BOXOFFICE_NOW: '2027-01-01T10:00:00Z' });
    expect(back.code).toBe(4);
    expect(back.stderr).toMatch(/2027-02-01T10:00/);
    expect(box.run(['whoami', '--json'], { BOXOFFICE_NOW: '2027-01-01T10:00:00Z' }).json).toMatchObject({ rehearsal: false, clockMoved: true });
  });

  it('after a Z report closed at a moved time, the real clock cannot pay into that period either; the chain stays whole', () => {
    const close = box.run(['report', 'cashup', '--counted', '25', '--close'], { BOXOFFICE_NOW: '2027-02-02T10:00:00Z' });
    expect(close.code, close.stderr).toBe(0);
    const real = box.run(['sell', 'Gala', '--seats', 'A-3', '--tier', 'Adult', '--pay', 'cash']);
    expect(real.code, real.stderr).toBe(4);
    expect(real.stderr).toContain("this computer's clock puts this change at");
    expect(real.stderr).toContain('Z report 1');
    expect(box.run(['report', 'zreports']).code).toBe(0);
    expect(box.run(['report', 'cashup']).code).toBe(0);
  });
});
