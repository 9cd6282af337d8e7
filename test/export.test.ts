// Exports through the real binary: spreadsheet formulas in people's names come out escaped in CSV
// (and untouched in JSON), money is major units in CSV and minor units in JSON, --format json is
// --json with camelCase keys (CSV headers snake_case), and the rows match the database.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedSandbox } from './helpers/cli.js';

const box = preparedSandbox();
afterAll(() => box.cleanup());

const hostile = [
  { email: 'eq@example.com', name: '=HYPERLINK("http://evil.example","click")' },
  { email: 'plus@example.com', name: '+SUM(1,2)' },
  { email: 'minus@example.com', name: '-2+3' },
  { email: 'at@example.com', name: '@cmd' },
  { email: 'tab@example.com', name: '\t=1+1' },
  { email: 'cr@example.com', name: '\r=1+1' },
  { email: 'plain@example.com', name: 'Ana Silva' },
  { email: 'inner@example.com', name: 'Ana = Silva' },
];

let order: any;
let compOrder: any;
beforeAll(() => {
  const file = path.join(box.dir, 'leads.json');
  // Imports trim cells and every input refuses control characters, so the names with a leading
  // tab and carriage return (stored before that, or behind the tool's back) are written directly.
  const viaImport = hostile.filter((h) => h.name.trim() === h.name);
  fs.writeFileSync(file, JSON.stringify(viaImport.map((h) => ({ ...h, source: '=cmd|" /C calc"!A0', event: 'Gala', consent: true }))));
  const imported = box.run(['import', 'leads', file]);
  expect(imported.code, imported.stderr).toBe(0);
  for (const h of hostile.filter((x) => x.name.trim() !== x.name)) {
    const added = box.run(['lead', 'add', h.email, '--name', 'placeholder', '--source', '=cmd|" /C calc"!A0', '--event', 'Gala', '--consent']);
    expect(added.code, added.stderr).toBe(0);
    const db = new Database(box.db);
    db.prepare('update leads set name = ? where email = ?').run(h.name, h.email);
    db.close();
  }
  order = box.run(['--json', 'sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult=1,Child=1', '--pay', 'cash', '--tendered', '50', '--email', 'plain@example.com', '--name', '@Ana']).json;
  expect(order.status).toBe('paid');
  compOrder = box.run(['--json', 'sell', 'Gala', '--seats', 'B-1', '--tier', 'Adult', '--pay', 'comp']).json;
  const refund = box.run(['--json', 'order', 'refund', order.code, '--tickets', order.tickets[1].code, '--yes']);
  expect(refund.code, refund.stderr).toBe(0);
});

const csv = (text: string) => parse(text, { columns: true, relax_quotes: false }) as Record<string, string>[];

describe('export leads', () => {
  it('escapes formula cells in CSV with a leading quote (OWASP), and only those', () => {
    const r = box.run(['export', 'leads']);
    expect(r.code).toBe(0);
    const rows = csv(r.stdout);
    const byEmail = new Map(rows.map((row) => [row.email, row]));
    expect(byEmail.get('eq@example.com')!.name).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(byEmail.get('plus@example.com')!.name).toBe("'+SUM(1,2)");
    expect(byEmail.get('minus@example.com')!.name).toBe("'-2+3");
    expect(byEmail.get('at@example.com')!.name).toBe("'@cmd");
    expect(byEmail.get('tab@example.com')!.name).toBe("'\t=1+1");
    expect(byEmail.get('cr@example.com')!.name).toBe("'\r=1+1");
    expect(byEmail.get('plain@example.com')!.name).toBe('Ana Silva');
    expect(byEmail.get('inner@example.com')!.name).toBe('Ana = Silva');
    for (const row of rows) {
      expect(row.source).toBe('\'=cmd|" /C calc"!A0');
      // No cell a spreadsheet would evaluate.
      for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(byEmail.get('plain@example.com')).toMatchObject({ consent: 'yes', event: 'Gala', converted_order: order.code });
  });

  it('keeps the text as it is in JSON, and --format json is --json', () => {
    const a = box.run(['export', 'leads', '--format', 'json']);
    const b = box.run(['--json', 'export', 'leads']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const names = (a.json as any[]).map((l) => l.name);
    expect(names.sort()).toEqual(hostile.map((h) => h.name).sort());
    expect(a.json[0]).toMatchObject({ consent: true, event: 'Gala', externalId: null });
    expect(Object.keys(a.json[0])).toEqual(['id', 'externalId', 'email', 'name', 'source', 'eventId', 'event', 'consent', 'createdAt', 'convertedOrder', 'convertedAt']);
  });
});

describe('export orders, tickets, customers and sales', () => {
  it('orders: CSV money in major units, JSON in minor units, one row per order', () => {
    const rows = csv(box.run(['export', 'orders']).stdout);
    expect(rows.map((r) => r.code)).toEqual([order.code, compOrder.code]);
    expect(rows[0]).toMatchObject({
      status: 'partially_refunded',
      total: '37.50',
      paid: '37.50',
      refunded: '12.50',
      currency: 'EUR',
      tickets: '2',
      customer_email: 'plain@example.com',
      holder_name: "'@Ana",
    });
    const json = box.run(['export', 'orders', '--format', 'json']).json;
    expect(json[0]).toMatchObject({ id: order.code, total: 3750, paid: 3750, refunded: 1250, holderName: '@Ana', customerEmail: 'plain@example.com' });
  });

  it('JSON keys are camelCase like every other --json (CSV headers stay snake_case, like piped tables)', () => {
    const listed = box.run(['--json', 'order', 'list']).json as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThan(0);
    for (const kind of ['orders', 'tickets', 'customers', 'leads', 'sales']) {
      const json = box.run(['export', kind, '--format', 'json']).json as Record<string, unknown>[];
      const header = Object.keys(csv(box.run(['export', kind]).stdout)[0]);
      expect(json.length, kind).toBeGreaterThan(0);
      const keys = Object.keys(json[0]);
      for (const key of keys) expect(key, `${kind}.${key}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
      // The same columns in the same order, each header the snake_case of its key.
      expect(header, kind).toEqual(keys.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
    }
    // Keys an order shares with `order list --json` are spelled the same way there.
    const exported = box.run(['export', 'orders', '--format', 'json']).json[0];
    for (const key of ['eventId', 'createdAt']) {
      expect(listed[0]).toHaveProperty(key);
      expect(exported).toHaveProperty(key);
    }
    const tickets = box.run(['--json', 'export', 'tickets']).json[0];
    expect(tickets).toMatchObject({ eventId: expect.any(Number), issuedAt: expect.any(String), checkedInAt: null });
    expect(tickets).not.toHaveProperty('event_id');
  });

  it('tickets: issued tickets with a seat reference --seats accepts; held ones are not tickets yet', () => {
    const hold = box.run(['--json', 'hold', 'Gala', '--seats', 'C-1', '--tier', 'Adult']);
    expect(hold.code).toBe(0);
    const rows = csv(box.run(['export', 'tickets', '--event', 'Gala']).stdout);
    expect(rows.map((r) => [r.code, r.status, r.seat, r.tier, r.price])).toEqual([
      [order.tickets[0].code, 'valid', 'Stalls:A-1', 'Adult', '25.00'],
      [order.tickets[1].code, 'void', 'Stalls:A-2', 'Child', '12.50'],
      [compOrder.tickets[0].code, 'valid', 'Stalls:B-1', 'Adult', '25.00'],
    ]);
  });

  it('customers and the sales ledger', () => {
    const customers = box.run(['--json', 'export', 'customers']).json;
    expect(customers).toEqual([expect.objectContaining({ email: 'plain@example.com', name: '@Ana', orders: 1 })]);
    const sales = csv(box.run(['export', 'sales']).stdout);
    expect(sales.map((s) => [s.kind, s.order, s.method, s.amount, s.tendered, s.change])).toEqual([
      ['payment', order.code, 'cash', '37.50', '50.00', '12.50'],
      ['payment', compOrder.code, 'comp', '0.00', '', ''],
      ['refund', order.code, 'cash', '12.50', '', ''],
    ]);
    const db = new Database(box.db, { readonly: true });
    const ledger = db.prepare("select sum(case kind when 'payment' then amount else -amount end) from payments").pluck().get();
    db.close();
    const json = box.run(['--json', 'export', 'sales']).json as any[];
    expect(json.reduce((s, p) => s + (p.kind === 'payment' ? p.amount : -p.amount), 0)).toBe(ledger);
  });

  it('writes to a file with -o, and streams a large table', () => {
    const many = path.join(box.dir, 'many.csv');
    fs.writeFileSync(many, `email,source\n${Array.from({ length: 20_000 }, (_, i) => `guest${i}@example.com,web`).join('\n')}\n`);
    expect(box.run(['import', 'leads', many]).code).toBe(0);
    const out = path.join(box.dir, 'leads-out.csv');
    const r = box.run(['export', 'leads', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Wrote 20008 rows of leads/);
    expect(csv(fs.readFileSync(out, 'utf8'))).toHaveLength(20_008);
    const jsonOut = path.join(box.dir, 'leads-out.json');
    expect(box.run(['--json', 'export', 'leads', '-o', jsonOut]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(jsonOut, 'utf8'))).toHaveLength(20_008);
  });

  it('refuses what it cannot do', () => {
    expect(box.run(['export', 'widgets']).code).toBe(2);
    expect(box.run(['export', 'orders', '--format', 'xml']).code).toBe(2);
    expect(box.run(['--json', 'export', 'orders', '--format', 'csv']).code).toBe(2);
    expect(box.run(['export', 'orders', '--event', 'Nope']).code).toBe(3);
    expect(box.run(['export', 'orders', '-o', path.join(box.dir, 'no', 'such', 'dir.csv')]).code).toBe(2);
  });
});
