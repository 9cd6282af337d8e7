// The scripting CLI as a good citizen: lists for people and for pipes, operators and roles,
// sessions, settings, backups, hostile text.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, preparedSandbox, sandbox } from './helpers/cli.js';
import { inProcess } from './helpers/in-process.js';

describe('list commands on a TTY and piped', () => {
  const box = preparedSandbox();
  const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
  beforeAll(async () => {
    expect((await run(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--email', 'ana@example.com', '--name', 'Ana'])).code).toBe(0);
    expect((await run(['lead', 'add', 'rui@example.com', '--source', 'flyer'])).code).toBe(0);
  });
  afterAll(() => box.cleanup());

  it.each([
    [['venue', 'list'], 'Main Hall'],
    [['event', 'list'], 'Gala'],
    [['order', 'list'], 'Gala'],
    [['customer', 'list'], 'ana@example.com'],
    [['lead', 'list'], 'rui@example.com'],
    [['log', '--limit', '5'], 'order.paid'],
    [['config', 'list'], 'holdMinutes'],
  ])('%j: aligned table with a header on a TTY, TSV with a header row when piped', async (args, expected) => {
    const tty = await run(args, { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toContain(expected);
    expect(tty.stdout).not.toContain('\t');
    expect(tty.stdout.split('\n')[0]).toMatch(/^[A-Z ]+$/);

    const piped = await run(args);
    expect(piped.code).toBe(0);
    const lines = piped.stdout.replace(/\n$/, '').split('\n');
    const header = lines[0].split('\t');
    expect(header.length).toBeGreaterThan(2);
    expect(header.every((h) => /^[a-z_]+$/.test(h))).toBe(true);
    for (const line of lines.slice(1)) expect(line.split('\t')).toHaveLength(header.length);
    expect(piped.stdout).toContain(expected);

    const json = await run([...args, '--json']);
    expect(Array.isArray(json.json)).toBe(true);
  });

  it('piped times are ISO 8601 with offset, money is plain major units', async () => {
    const events = await run(['event', 'list']);
    expect(events.stdout).toMatch(/\t2027-03-01T20:00:00\+00:00\t/);
    const orders = await run(['order', 'list']);
    expect(orders.stdout).toMatch(/\t50\.00\tEUR\t/);
  });
});

describe('operators, sessions and roles', () => {
  const box = preparedSandbox();
  const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
  const as = (name: string, pin: string) => ({ env: { BOXOFFICE_OPERATOR: name, BOXOFFICE_PIN: pin } });
  let ticket = '';
  let order = '';
  beforeAll(async () => {
    expect((await run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '1111'])).code).toBe(0);
    for (const [name, role, pin] of [
      ['Rui', 'clerk', '2222'],
      ['Mia', 'manager', '3333'],
      ['Gate', 'door', '4444'],
    ]) {
      expect((await run(['staff', 'add', name, '--role', role, '--pin', pin], as('Ana', '1111'))).code).toBe(0);
    }
    const sale = await run(['sell', 'Gala', '--seats', 'B-1,B-2', '--tier', 'Adult', '--pay', 'cash', '--json'], as('Rui', '2222'));
    expect(sale.code).toBe(0);
    order = sale.json.code;
    ticket = sale.json.tickets[0].code;
  });
  afterAll(() => box.cleanup());

  it('with staff defined, a command without an operator exits 5 and says how to log in', async () => {
    const r = await run(['event', 'list']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('boxoffice login');
  });

  it('a wrong PIN is refused and nothing is written', async () => {
    const before = fs.readFileSync(box.db);
    const r = await run(['sell', 'Gala', '--seats', 'C-1', '--tier', 'Adult', '--pay', 'cash'], as('Rui', '9999'));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('wrong operator name or PIN');
    const db = new Sqlite(box.db, { readonly: true });
    expect(db.prepare("select count(*) n from tickets t join seats s on s.id = t.seat_id where s.row_label = 'C'").get()).toEqual({ n: 0 });
    db.close();
    expect(before.length).toBeGreaterThan(0);
  });

  it('a clerk is refused a refund naming the role; a manager may', async () => {
    const clerk = await run(['order', 'refund', order, '--yes'], as('Rui', '2222'));
    expect(clerk.code).toBe(5);
    expect(clerk.stderr).toMatch(/refund orders: that needs the admin or manager role/);
    const manager = await run(['order', 'refund', order, '--tickets', ticket, '--yes', '--json'], as('Mia', '3333'));
    expect(manager.code).toBe(0);
    expect(manager.json.status).toBe('partially_refunded');
  });

  it('a door operator can only check in', async () => {
    const sale = await run(['sell', 'Gala', '--seats', 'B-5', '--tier', 'Adult', '--pay', 'cash', '--json'], as('Mia', '3333'));
    expect((await run(['checkin', sale.json.tickets[0].code], as('Gate', '4444'))).code).toBe(0);
    expect((await run(['sell', 'Gala', '--seats', 'B-6', '--tier', 'Adult', '--pay', 'cash'], as('Gate', '4444'))).code).toBe(5);
    expect((await run(['hold', 'Gala', '--seats', 'B-6', '--tier', 'Adult'], as('Gate', '4444'))).code).toBe(5);
    expect((await run(['event', 'cancel', 'Gala', '--yes'], as('Gate', '4444'))).code).toBe(5);
    expect((await run(['seats', 'block', 'Gala', '--seats', 'B-6'], as('Gate', '4444'))).code).toBe(5);
  });

  it('login keeps a session in the config file; logout ends it; an expired session is refused', async () => {
    const before = Date.now();
    const login = await run(['login', 'Rui', '--json'], { env: { BOXOFFICE_PIN: '2222' } });
    expect(login.code).toBe(0);
    expect(login.json).toMatchObject({ operator: 'Rui', role: 'clerk' });
    // Twelve hours of real time by default.
    expect(Date.parse(login.json.expiresAt)).toBeGreaterThanOrEqual(before + 12 * 3_600_000);
    expect(Date.parse(login.json.expiresAt)).toBeLessThanOrEqual(Date.now() + 12 * 3_600_000);
    const config = path.join(box.dir, '.config', 'boxoffice', 'config.json');
    expect(fs.statSync(config).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(config, 'utf8')).not.toContain('2222');
    expect((await run(['whoami'])).stdout).toContain('Rui (clerk)');
    // The role comes from the database, not the file: editing the file grants nothing.
    const stored = JSON.parse(fs.readFileSync(config, 'utf8'));
    (Object.values(stored.sessions)[0] as { operator: string }).operator = 'Ana';
    fs.writeFileSync(config, JSON.stringify(stored));
    expect((await run(['order', 'refund', order, '--yes'])).code).toBe(5);
    // Sessions run on the real clock: moving the box office's clock neither ends nor stretches one
    // (and on this live database BOXOFFICE_NOW is refused outright; test/clock.test.ts has more).
    const moved = await run(['event', 'list'], { env: { BOXOFFICE_NOW: new Date(Date.now() + 13 * 3_600_000).toISOString() } });
    expect(moved.code).toBe(5);
    expect(moved.stderr).toMatch(/BOXOFFICE_NOW/);
    // Thirteen hours on, as the database sees it: the session has ended.
    const db = new Sqlite(box.db);
    db.prepare('update sessions set expires_at = ?').run(new Date(Date.now() - 3_600_000).toISOString());
    db.close();
    const later = await run(['event', 'list']);
    expect(later.code).toBe(5);
    expect(later.stderr).toContain('has ended');
    expect((await run(['logout'])).code).toBe(0);
    expect((await run(['whoami'])).code).toBe(5);
  });

  it('a disabled member cannot act, and their sessions end', async () => {
    expect((await run(['login', 'Mia'], { env: { BOXOFFICE_PIN: '3333' } })).code).toBe(0);
    expect((await run(['staff', 'disable', 'Mia'], as('Ana', '1111'))).code).toBe(0);
    expect((await run(['event', 'list'])).code).toBe(5);
    expect((await run(['event', 'list'], as('Mia', '3333'))).code).toBe(5);
    // Disabled again: the same answer, and the log keeps the one change (test/pg-staff.test.ts: at once).
    const again = await run(['staff', 'disable', 'Mia'], as('Ana', '1111'));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Disabled Mia');
    const db = new Sqlite(box.db, { readonly: true });
    expect(db.prepare("select count(*) from outbox where type = 'staff.disabled' and data like '%\"Mia\"%'").pluck().get()).toBe(1);
    db.close();
    await run(['logout']);
  });
});

describe('settings', () => {
  const box = sandbox();
  const run = inProcess({ HOME: box.dir });
  afterAll(() => box.cleanup());

  it('flags win over environment, which wins over the config file', async () => {
    const fromConfig = path.join(box.dir, 'config.db');
    const fromEnv = path.join(box.dir, 'env.db');
    const fromFlag = path.join(box.dir, 'flag.db');
    expect((await run(['config', 'set', 'db', fromConfig])).code).toBe(0);
    expect((await run(['init', '--json'])).json.database).toBe(fromConfig);
    expect((await run(['init', '--json'], { env: { BOXOFFICE_DB: fromEnv } })).json.database).toBe(fromEnv);
    expect((await run(['--db', fromFlag, 'init', '--json'], { env: { BOXOFFICE_DB: fromEnv } })).json.database).toBe(fromFlag);
    const got = await run(['config', 'get', 'db', '--json'], { env: { BOXOFFICE_DB: fromEnv } });
    expect(got.json).toEqual({ key: 'db', value: fromEnv, source: 'env' });
    // config shows the database a command would open: --db too.
    const flagged = await run(['--db', fromFlag, 'config', 'get', 'db', '--json'], { env: { BOXOFFICE_DB: fromEnv } });
    expect(flagged.json).toEqual({ key: 'db', value: fromFlag, source: 'flag' });
    const listed = await run(['--db', fromFlag, 'config', 'list', '--json']);
    expect(listed.json.find((r: { key: string }) => r.key === 'db')).toMatchObject({ value: fromFlag, source: 'flag' });
  });

  it('never prints a secret in clear', async () => {
    expect((await run(['config', 'set', 'smtp.url', 'smtp://tickets:s3cret-pass@127.0.0.1:2525'])).code).toBe(0);
    for (const args of [
      ['config', 'list'],
      ['config', 'list', '--json'],
      ['config', 'get', 'smtp.url'],
    ]) {
      const r = await run(args);
      expect(r.stdout).not.toContain('s3cret-pass');
      expect(r.stdout).toContain('tickets:****@127.0.0.1');
    }
  });

  it('refuses a bad value or an unknown key with exit 2', async () => {
    expect((await run(['config', 'set', 'holdMinutes', 'soon'])).code).toBe(2);
    expect((await run(['config', 'set', 'colour', 'blue'])).code).toBe(2);
  });
});

describe('event cancel', () => {
  const box = preparedSandbox();
  const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
  afterAll(() => box.cleanup());

  it('--dry-run changes nothing; the real cancel releases holds, refunds paid orders and stops sales', async () => {
    const sale = await run(['sell', 'Gala', '--best', '2', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'T1', '--json']);
    const hold = await run(['hold', 'Gala', '--best', '2', '--tier', 'Adult', '--json']);
    const before = fs.readFileSync(box.db);
    const dry = await run(['event', 'cancel', 'Gala', '--refund', '--dry-run', '--json']);
    expect(dry.json).toMatchObject({ dryRun: true, holdsReleased: [hold.json.code], refunded: [{ code: sale.json.code, amount: 5000 }] });
    expect(fs.readFileSync(box.db).equals(before)).toBe(true);
    expect((await run(['event', 'cancel', 'Gala', '--refund'])).code).toBe(2);
    const done = await run(['event', 'cancel', 'Gala', '--refund', '--yes', '--json']);
    expect(done.code).toBe(0);
    expect((await run(['order', 'show', sale.json.code, '--json'])).json.status).toBe('refunded');
    expect((await run(['order', 'show', hold.json.code, '--json'])).json.status).toBe('cancelled');
    expect((await run(['sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash'])).code).toBe(4);
  });
});

describe('hostile text', () => {
  const box = sandbox();
  const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
  afterAll(() => box.cleanup());
  const hostile = ['O\'Brien "quoted"', "'; DROP TABLE orders; --", 'Zoë 🎭 São João Łódź 東京', "=cmd|' /C calc'!A0", '+SUM(1)', 'x'.repeat(10_000)];

  it('is stored and shown back exactly in every free-text field, and breaks nothing', async () => {
    expect((await run(['init'])).code).toBe(0);
    for (const [i, text] of hostile.entries()) {
      const venue = await run(['venue', 'add', `${text} ${i}`, '--city', text, '--json']);
      expect(venue.code, venue.stderr).toBe(0);
      expect(venue.json).toMatchObject({ name: `${text} ${i}`, city: text });
      expect((await run(['venue', 'seatmap', 'generate', String(venue.json.id), '--section', `S${i} ${text.replace(/[:,]/g, '')}`.slice(0, 500), '--rows', 'A', '--seats', '1-4'])).code).toBe(0);
      const event = await run(['event', 'add', `${text} night`, '--venue', String(venue.json.id), '--starts', '2027-05-01T20:00', '--type', text, '--json']);
      expect(event.json).toMatchObject({ name: `${text} night`, type: text });
      const tier = text.replace(/[,=]/g, '');
      expect((await run(['event', 'price', String(event.json.id), '--tier', tier, '--price', '10'])).code).toBe(0);
      expect((await run(['event', 'publish', String(event.json.id)])).code).toBe(0);
      const sale = await run(['sell', String(event.json.id), '--best', '2', '--tier', tier, '--pay', 'external', '--ref', text, '--name', text, '--email', `buyer${i}@example.com`, '--json']);
      expect(sale.code, sale.stderr).toBe(0);
      expect(sale.json).toMatchObject({ holderName: text, payments: [{ reference: text }] });
      expect(sale.json.tickets[0].tier).toBe(tier);
      const lead = await run(['lead', 'add', `lead${i}@example.com`, '--name', text, '--source', text, '--json']);
      expect(lead.json).toMatchObject({ name: text, source: text });
      const found = await run(['order', 'find', text.slice(0, 200), '--json']);
      expect(found.json.map((o: { code: string }) => o.code)).toContain(sale.json.code);
      const refund = await run(['order', 'refund', sale.json.code, '--reason', text, '--yes', '--json']);
      expect(refund.json.payments[1].reason).toBe(text);
    }
    const db = new Sqlite(box.db, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('select count(*) n from orders').get() as { n: number }).n).toBe(hostile.length);
    db.close();
    // Piped lists stay one record per line whatever the text holds.
    const venues = await run(['venue', 'list']);
    expect(venues.stdout.trimEnd().split('\n')).toHaveLength(hostile.length + 1);
  });
});

describe('backup', () => {
  it('taken while another process sells, the copy is consistent and complete up to some committed sale', async () => {
    const box = preparedSandbox();
    const stopFile = path.join(box.dir, 'stop-selling');
    const seller = spawn(
      process.execPath,
      [
        '-e',
        `
        const { spawnSync } = require('node:child_process');
        const fs = require('node:fs');
        // Sells until the backups are done (a sale takes ~0.1 s), at most 60 pairs of the 200 seats.
        for (let i = 0; i < 60 && !fs.existsSync(${JSON.stringify(stopFile)}); i++) {
          const r = spawnSync(process.execPath, [${JSON.stringify(BIN)}, 'sell', 'Gala', '--best', '2', '--tier', 'Adult', '--pay', 'cash'], { env: process.env });
          if (r.status !== 0) { console.error(String(r.stderr)); process.exit(1); }
        }`,
      ],
      { env: { ...process.env, BOXOFFICE_DB: box.db, HOME: box.dir }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // Listened for from the start: the seller may be done before the backups are.
    const sellerExit = new Promise<number | null>((resolve) => seller.on('exit', resolve));
    let sellerErr = '';
    seller.stderr.on('data', (d) => (sellerErr += d));
    const copies: string[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      const file = path.join(box.dir, `copy-${i}.db`);
      const r = box.run(['backup', file, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.integrity).toBe('ok');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      copies.push(file);
    }
    fs.writeFileSync(stopFile, '');
    const code = await sellerExit;
    expect(code, sellerErr).toBe(0);
    let previous = -1;
    let firstPaid = -1;
    for (const file of copies) {
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
      const db = new Sqlite(file, { readonly: true });
      const paid = (db.prepare("select count(*) n from orders where status = 'paid'").get() as { n: number }).n;
      // Every order in the copy is whole: paid with its payment, two valid tickets and two sold seats.
      expect(db.prepare("select count(*) n from orders where status != 'paid'").get()).toEqual({ n: 0 });
      expect(db.prepare("select count(*) n from tickets where status = 'valid'").get()).toEqual({ n: paid * 2 });
      expect(db.prepare("select count(*) n from seat_claims where status = 'sold'").get()).toEqual({ n: paid * 2 });
      expect(db.prepare('select count(*) n from payments').get()).toEqual({ n: paid });
      expect(db.prepare("select count(*) n from outbox where type = 'order.paid'").get()).toEqual({ n: paid });
      expect(paid).toBeGreaterThanOrEqual(previous);
      if (previous < 0) firstPaid = paid;
      previous = paid;
      db.close();
    }
    const main = new Sqlite(box.db, { readonly: true });
    const sold = (main.prepare("select count(*) n from orders where status = 'paid'").get() as { n: number }).n;
    main.close();
    expect(previous).toBeLessThanOrEqual(sold);
    // The seller went on selling after the first copy: the copies were taken while it sold.
    expect(firstPaid).toBeLessThan(sold);
    box.cleanup();
  });
});

describe('the real binary', () => {
  it('leaves quietly when the reader of its output stops early (| head)', () => {
    const box = preparedSandbox();
    for (const args of ['--help', 'export orders', 'export tickets --format json', 'log']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', BOXOFFICE_DB: box.db, HOME: box.dir },
      });
      expect(r.stdout.trim(), args).toBe('status=0');
      expect(r.stderr, args).not.toMatch(/EPIPE|Error|at /);
    }
    box.cleanup();
  });

  it('backup refuses a folder that does not exist rather than creating it', () => {
    const box = preparedSandbox();
    const target = path.join(box.dir, 'usb-not-mounted', 'box.db');
    const r = box.run(['backup', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(fs.existsSync(path.dirname(target))).toBe(false);
    box.cleanup();
  });

  it('--version prints the version package.json gives', () => {
    const box = sandbox();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(box.run(['--version']).stdout.trim()).toBe(pkg.version);
    expect(box.run(['-V']).stdout.trim()).toBe(pkg.version);
    box.cleanup();
  });

  it('reaches exit 1 on an unexpected failure (a damaged database file) with a one-line message', () => {
    const box = sandbox();
    // A boxoffice database's header (SQLite's, with our user_version set) over pages of junk: a
    // text file is refused before SQLite sees it (exit 2, cli-db-file.test.ts), this one is not.
    const damaged = Buffer.alloc(4096, 0x41);
    Buffer.from('SQLite format 3\0', 'latin1').copy(damaged, 0);
    damaged.writeUInt32BE(7, 60);
    fs.writeFileSync(box.db, damaged);
    const r = box.run(['event', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unexpected error: .*not a database/);
    box.cleanup();
  });

  it('prints bash and zsh completion scripts that the shells accept', () => {
    const box = sandbox();
    const bash = box.run(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _boxoffice boxoffice');
    expect(spawnSync('bash', ['-n'], { input: bash.stdout }).status).toBe(0);
    const words = spawnSync('bash', ['-c', `${bash.stdout}\nCOMP_WORDS=(boxoffice order re); COMP_CWORD=2; _boxoffice; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
    expect(words.stdout.trim()).toBe('refund');
    expect(box.run(['completion', 'fish']).code).toBe(2);
    box.cleanup();
  });

  it('--help, --version, list and show commands load neither Ink nor pdfkit nor nodemailer', () => {
    const box = preparedSandbox();
    const hook = path.join(ROOT, 'test', 'fixtures', 'register-heavy-import-hook.mjs');
    for (const args of [['--help'], ['--version'], ['event', 'list', '--json'], ['venue', 'show', 'Main Hall'], ['order', 'list'], ['seats', 'Gala', '--json']]) {
      const r = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', BOXOFFICE_DB: box.db, HOME: box.dir } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('LOADED');
    }
    // The probe itself works: a command that needs conf does report it.
    const set = spawnSync(process.execPath, ['--import', hook, BIN, 'config', 'set', 'lang', 'pt'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: box.dir } });
    expect(set.stderr).toContain('LOADED');
    box.cleanup();
  });
});
