// Reports over a scripted day of sales, refunds and comps: net equals payments minus refunds, to
// the cent and per row; the cash-up and its Z reports are final, hash-chained, and an edit made
// with sqlite3 behind the tool's back is detected (exit 4).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { inProcess } from './helpers/in-process.js';
import { openCore, seedGala, type CoreFixture, sqliteOf } from './helpers/core.js';
import { sellSeats } from '../src/core/orders/sale.js';
import { refundOrder } from '../src/core/orders/refund.js';
import { reissueTicket } from '../src/core/tickets/checkin.js';
import { addLead } from '../src/core/customers/leads.js';
import { addStaff } from '../src/core/staff/staff.js';
import { markRehearsal } from '../src/core/rehearsal.js';
import { salesReport, type SalesRow } from '../src/core/reports/sales.js';
import { leadsReport } from '../src/core/reports/leads.js';
import { cashup, verifyZChain, zHash, zReports } from '../src/core/reports/cashup.js';
import { canonicalJson } from '../src/core/reports/common.js';
import type { Actor } from '../src/core/staff/permissions.js';

let core: CoreFixture;
let event: string;
let mia: Actor;
const orders: Record<string, any> = {};
const MIA = { BOXOFFICE_OPERATOR: 'Mia', BOXOFFICE_PIN: '2222' };

function cli(args: string[], env: Record<string, string> = MIA, db = core.handle.file) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: path.dirname(core.handle.file), BOXOFFICE_NOW: '2027-01-11T20:00:00Z', ...env },
  });
  let json: any;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

/** The sqlite3 shell on a database file: an edit made behind the tool's back. */
function sqlite3(db: string, sql: string) {
  const r = spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const ledger = () => {
  const rows = sqliteOf(core).prepare('select kind, sum(amount) s from payments group by kind').all() as { kind: string; s: number }[];
  const get = (k: string) => rows.find((r) => r.kind === k)?.s ?? 0;
  return { paid: get('payment'), refunded: get('refund') };
};

beforeAll(async () => {
  core = await openCore();
  // The command-line runs below read this scripted day at BOXOFFICE_NOW, which a database with
  // staff honours only once it is marked as a rehearsal database.
  await markRehearsal(core.ctx);
  event = (await seedGala(core.ctx)).eventId;
  await addStaff(core.ctx, { name: 'Ana', role: 'admin', pin: '4821' });
  const staff = await addStaff(core.ctx, { name: 'Mia', role: 'manager', pin: '2222' });
  await addStaff(core.ctx, { name: 'Carl', role: 'clerk', pin: '1111' });
  mia = { staffId: staff.id, name: 'Mia', role: 'manager' };
  const at = (t: string) => core.clock.set(`2027-01-10T${t}:00Z`);
  await addLead(core.ctx, { email: 'ana@example.com', source: 'newsletter' });
  await addLead(core.ctx, { email: 'bo@example.com', source: 'newsletter' });
  await addLead(core.ctx, { email: 'cy@example.com', source: 'flyer' });

  at('10:00');
  orders.cash = await sellSeats(core.ctx, {
    event,
    seats: [
      { row: 'A', number: 1 },
      { row: 'A', number: 2 },
    ],
    tier: [
      { name: 'Adult', count: 1 },
      { name: 'Child', count: 1 },
    ],
    payment: { method: 'cash', tendered: 5000 },
    email: 'ana@example.com',
  });
  at('11:00');
  orders.card = await sellSeats(core.ctx, {
    event,
    seats: [
      { row: 'B', number: 1 },
      { row: 'B', number: 2 },
      { row: 'B', number: 3 },
    ],
    tier: [{ name: 'Adult' }],
    payment: { method: 'card', cardRef: 'T-77' },
  });
  at('12:00');
  orders.comp = await sellSeats(core.ctx, {
    event,
    seats: [
      { row: 'C', number: 1 },
      { row: 'C', number: 2 },
    ],
    tier: [{ name: 'Adult' }],
    payment: { method: 'comp' },
  });
  at('13:00');
  orders.web = await sellSeats(core.ctx, { event, section: 'Floor', quantity: 2, tier: [{ name: 'Child' }], payment: { method: 'external', ref: 'WEB-1' } });
  at('14:00');
  await refundOrder(core.ctx, { code: orders.cash.code, tickets: [orders.cash.tickets[1].code], reason: 'child ill' });
  at('15:00');
  await refundOrder(core.ctx, { code: orders.card.code, amount: 1000, reason: 'late start' });
  at('16:00');
  await refundOrder(core.ctx, { code: orders.comp.code });
  at('17:00');
  await reissueTicket(core.ctx, orders.card.tickets[0].code);
  at('23:30');
  orders.late = await sellSeats(core.ctx, { event, seats: [{ row: 'D', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
  core.clock.set('2027-01-11T09:00:00Z');
  orders.mia = await sellSeats(core.as(mia), { event, seats: [{ row: 'E', number: 1 }], tier: [{ name: 'Child' }], payment: { method: 'cash', tendered: 2000 }, email: 'bo@example.com' });
});
afterAll(async () => core.close());

describe('report sales', () => {
  const find = (rows: SalesRow[], day: string, tier: string, method: string) => rows.filter((r) => r.day === day && r.tier === tier && r.method === method);

  it('net equals payments minus refunds, overall and row by row', async () => {
    const report = await salesReport(core.ctx);
    const { paid, refunded } = ledger();
    expect(paid).toBe(3750 + 7500 + 0 + 2500 + 2500 + 1250);
    expect(refunded).toBe(1250 + 1000 + 0);
    expect(report.totals).toEqual([{ currency: 'EUR', tickets: 9, gross: paid, refundedTickets: 3, refunds: refunded, net: paid - refunded, comps: 2, compValue: 5000, paid, refunded }]);
    expect(report.rows.reduce((s, r) => s + r.net, 0)).toBe(paid - refunded);
    for (const r of report.rows) expect(r.net).toBe(r.gross - r.refunds);
  });

  it('splits by event, tier, method, operator and day; comps counted apart; a reissue is not a second sale', async () => {
    const { rows } = await salesReport(core.ctx);
    const pick = (r: SalesRow) => ({
      operator: r.operator,
      tickets: r.tickets,
      gross: r.gross,
      refundedTickets: r.refundedTickets,
      refunds: r.refunds,
      net: r.net,
      comps: r.comps,
      compValue: r.compValue,
    });
    expect(find(rows, '2027-01-10', 'Adult', 'cash').map(pick)).toEqual([{ operator: 'single-user', tickets: 2, gross: 5000, refundedTickets: 0, refunds: 0, net: 5000, comps: 0, compValue: 0 }]);
    expect(find(rows, '2027-01-10', 'Child', 'cash').map(pick)).toEqual([{ operator: 'single-user', tickets: 1, gross: 1250, refundedTickets: 1, refunds: 1250, net: 0, comps: 0, compValue: 0 }]);
    expect(find(rows, '2027-01-10', 'Adult', 'card').map(pick)).toEqual([{ operator: 'single-user', tickets: 3, gross: 7500, refundedTickets: 0, refunds: 1000, net: 6500, comps: 0, compValue: 0 }]);
    expect(find(rows, '2027-01-10', 'Adult', 'comp').map(pick)).toEqual([{ operator: 'single-user', tickets: 0, gross: 0, refundedTickets: 2, refunds: 0, net: 0, comps: 2, compValue: 5000 }]);
    expect(find(rows, '2027-01-10', 'Child', 'external').map(pick)).toEqual([{ operator: 'single-user', tickets: 2, gross: 2500, refundedTickets: 0, refunds: 0, net: 2500, comps: 0, compValue: 0 }]);
    expect(find(rows, '2027-01-11', 'Child', 'cash').map(pick)).toEqual([{ operator: 'Mia', tickets: 1, gross: 1250, refundedTickets: 0, refunds: 0, net: 1250, comps: 0, compValue: 0 }]);
    expect(rows).toHaveLength(6);
  });

  it('filters by day and operator', async () => {
    const day10 = await salesReport(core.ctx, { from: '2027-01-10', to: '2027-01-10' });
    expect(day10.totals[0]).toMatchObject({ paid: 16250, refunded: 2250, net: 14000 });
    const byMia = await salesReport(core.ctx, { operator: 'mia' });
    expect(byMia.totals[0]).toMatchObject({ net: 1250, tickets: 1 });
    await expect(salesReport(core.ctx, { from: '10/01/2027' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('on the command line: TSV piped, JSON with --json, a table and a bar chart on a terminal; managers only', async () => {
    const tsv = cli(['report', 'sales']);
    expect(tsv.code, tsv.stderr).toBe(0);
    const [header, ...lines] = tsv.stdout.trimEnd().split('\n');
    expect(header).toBe('day\tevent\ttier\tmethod\toperator\ttickets\tgross\trefunds\tnet\tcomps\tcomp_value\tcurrency');
    expect(lines).toContain('2027-01-10\tGala\tAdult\tcard\tsingle-user\t3\t75.00\t10.00\t65.00\t0\t0.00\tEUR');
    const json = cli(['--json', 'report', 'sales']).json;
    expect(json.totals[0].net).toBe(ledger().paid - ledger().refunded);
    const run = inProcess({ BOXOFFICE_DB: core.handle.file, ...MIA });
    const tty = await run(['report', 'sales'], { tty: true });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/Total EUR.*net €152\.50.*2 comps \(face value €50\.00\)/);
    expect(tty.stdout).toMatch(/Net per day\n2027-01-10 +€140\.00 █+\n2027-01-11 +€12\.50 █/);
    expect(cli(['report', 'sales'], { BOXOFFICE_OPERATOR: 'Carl', BOXOFFICE_PIN: '1111' }).code).toBe(5);
  });
});

describe('report leads', () => {
  it('per source: leads, converted and the conversion rate', async () => {
    expect(await leadsReport(core.ctx)).toEqual([
      { id: 'newsletter', source: 'newsletter', leads: 2, converted: 2, conversionRate: 1 },
      { id: 'flyer', source: 'flyer', leads: 1, converted: 0, conversionRate: 0 },
    ]);
    // Rates are percentages for people, piped or at a terminal; JSON keeps the number.
    const tsv = cli(['report', 'leads']);
    expect(tsv.stdout).toBe('source\tleads\tconverted\tconversion\nnewsletter\t2\t2\t100.0%\nflyer\t1\t0\t0.0%\n');
    const tty = await inProcess({ BOXOFFICE_DB: core.handle.file, ...MIA })(['report', 'leads'], { tty: true });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/^SOURCE +LEADS +CONVERTED +CONVERSION\nnewsletter +2 +2 +100\.0%\nflyer +1 +0 +0\.0%\n$/);
    expect(cli(['--json', 'report', 'leads']).json.map((r: { conversionRate: number }) => r.conversionRate)).toEqual([1, 0]);
  });
});

describe('the cash-up and Z reports', () => {
  it('shows each open drawer per operator and day, with the expected cash', async () => {
    core.clock.set('2027-01-11T18:00:00Z');
    const report = await cashup(core.ctx);
    expect(report.periods.map((p) => p.operator)).toEqual(['Mia', 'single-user']);
    const drawer = report.periods[1].drawers[0];
    expect(drawer).toMatchObject({ operator: 'single-user', currency: 'EUR', float: 0, counted: null, variance: null, expected: 7500 - 1250 - 1250 });
    expect(drawer.days).toEqual([
      expect.objectContaining({
        day: '2027-01-10',
        opening: 0,
        cashTaken: 5000 + 2500,
        changeGiven: 1250,
        cashRefunded: 1250,
        card: 7500,
        cardRefunded: 1000,
        external: 2500,
        compTickets: 2,
        compValue: 5000,
        expected: 5000,
      }),
    ]);
  });

  it('records the float and the count, shows the variance, and closes a numbered Z report', async () => {
    const counted = await cashup(core.as(mia), { operator: 'single-user', float: '100.00', counted: '149.50' });
    const d = counted.periods[0].drawers[0];
    expect(d).toMatchObject({ float: 10000, expected: 15000, counted: 14950, variance: -50 });
    const closed = await cashup(core.as(mia), { operator: 'single-user', close: true });
    expect(closed.closed).toMatchObject({ number: 1, operator: 'single-user', periodStart: null, closedBy: 'Mia', prevHash: '0'.repeat(64) });
    expect(closed.closed!.drawers[0]).toMatchObject({ expected: 15000, counted: 14950, variance: -50 });
    // Mia's own drawer: she must count it before she can close it.
    await expect(cashup(core.as(mia), { close: true })).rejects.toMatchObject({ code: 'invalid_input' });
    const second = await cashup(core.as(mia), { counted: '12.50', close: true });
    expect(second.closed).toMatchObject({ number: 2, operator: 'Mia', prevHash: closed.closed!.hash });
    expect(second.closed!.drawers[0]).toMatchObject({ expected: 1250, counted: 1250, variance: 0 });
    expect((await verifyZChain(core.ctx.db)).ok).toBe(true);
    // Nothing left open, and nothing to close twice.
    expect((await cashup(core.ctx)).periods).toEqual([]);
    await expect(cashup(core.as(mia), { operator: 'single-user', close: true })).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('a closed Z report and its count cannot be altered, not even with SQL', async () => {
    const db = sqliteOf(core);
    expect(() => db.prepare('update z_reports set body = ? where number = 1').run('{}')).toThrow(/a closed Z report cannot be changed/);
    expect(() => db.prepare('delete from z_reports where number = 2').run()).toThrow(/cannot be deleted/);
    expect(() => db.prepare('update cash_counts set counted = 15000 where z_number = 1').run()).toThrow(/belongs to a closed Z report/);
    // The next float starts the next period; Z 1 keeps its figures.
    core.clock.set('2027-01-12T09:00:00Z');
    const next = await cashup(core.as(mia), { operator: 'single-user', float: '80' });
    expect(next.periods[0]).toMatchObject({ periodStart: (await zReports(core.ctx, { number: 1 })).reports[0].periodEnd });
    expect((await zReports(core.ctx, { number: 1 })).reports[0].drawers[0].counted).toBe(14950);
  });

  it('on the command line: the drawers piped, and the Z reports with the chain verified', () => {
    const open = cli(['report', 'cashup']);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout.split('\n')[0]).toBe('operator\tday\topening\tcash_taken\tchange\tcash_refunded\tcard\texternal\tcomps\tcomp_value\texpected_cash\tcounted\tvariance\tcurrency');
    const list = cli(['--json', 'report', 'zreports']);
    expect(list.code).toBe(0);
    expect(list.json.map((z: any) => [z.number, z.operator])).toEqual([
      [1, 'single-user'],
      [2, 'Mia'],
    ]);
    const verify = cli(['report', 'zreports', '--verify']);
    expect(verify.code).toBe(0);
    expect(verify.stderr).toMatch(/Z report chain intact: 2 reports/);
  });

  describe("an edit made with sqlite3 behind the tool's back", () => {
    let pristine: Buffer;
    let n = 0;
    beforeAll(() => {
      sqliteOf(core).pragma('wal_checkpoint(TRUNCATE)');
      pristine = fs.readFileSync(core.handle.file);
    });
    /** A copy of the database as it is now, to tamper with. */
    const copy = () => {
      const file = path.join(path.dirname(core.handle.file), `tampered-${++n}.db`);
      fs.writeFileSync(file, pristine);
      expect(cli(['report', 'zreports', '--verify'], MIA, file).code).toBe(0);
      return file;
    };

    it('is refused by the database unless its safeguard is dropped first', () => {
      const db = copy();
      const r = sqlite3(db, 'update z_reports set body = replace(body, \'"counted":14950\', \'"counted":15000\') where number = 1');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/a closed Z report cannot be changed/);
      expect(cli(['report', 'zreports', '--verify'], MIA, db).code).toBe(0);
    });

    it('changing a figure breaks the hash: verify and cashup exit 4 naming the report', () => {
      const db = copy();
      const r = sqlite3(db, 'drop trigger z_reports_final_update; update z_reports set body = replace(body, \'"counted":14950\', \'"counted":15000\') where number = 1;');
      expect(r.code, r.stderr).toBe(0);
      const verify = cli(['report', 'zreports', '--verify'], MIA, db);
      expect(verify.code).toBe(4);
      expect(verify.stderr).toMatch(/Z report 1 was changed after it was closed/);
      const json = cli(['--json', 'report', 'zreports', '--verify'], MIA, db);
      expect(json.code).toBe(4);
      expect(json.json).toMatchObject({ ok: false, problems: [{ number: 1 }] });
      const cash = cli(['report', 'cashup'], MIA, db);
      expect(cash.code).toBe(4);
      expect(cash.stderr).toMatch(/the Z report chain is broken/);
      // No new Z report is chained onto a broken chain.
      expect(cli(['report', 'cashup', '--operator', 'single-user', '--counted', '80', '--close'], MIA, db).code).toBe(4);
      expect(sqlite3(db, 'select count(*) from z_reports').stdout.trim()).toBe('2');
    });

    it('re-hashing the whole chain is caught by the hashes the feed recorded at closing', () => {
      const db = copy();
      const conn = new Database(db, { readonly: true });
      const rows = conn.prepare('select * from z_reports order by number').all() as any[];
      conn.close();
      let prev = '0'.repeat(64);
      const statements = ['drop trigger z_reports_final_update;'];
      for (const row of rows) {
        const body = JSON.parse(row.body);
        if (row.number === 1) body.drawers[0].counted = 15000;
        const hash = zHash({ number: row.number, operator: row.operator_name, periodStart: row.period_start, periodEnd: row.period_end, closedBy: row.closed_by, prevHash: prev, body });
        statements.push(`update z_reports set body = '${canonicalJson(body)}', prev_hash = '${prev}', hash = '${hash}' where number = ${row.number};`);
        prev = hash;
      }
      expect(sqlite3(db, statements.join('\n')).code).toBe(0);
      const verify = cli(['report', 'zreports', '--verify'], MIA, db);
      expect(verify.code).toBe(4);
      expect(verify.stderr).toMatch(/Z report 1's hash is not the one recorded when it was closed/);
      expect(verify.stderr).not.toMatch(/changed after it was closed/);
    });

    it('deleting the last report, or changing a payment of a closed period, is caught too', () => {
      const gone = copy();
      expect(sqlite3(gone, 'drop trigger z_reports_final_delete; delete from z_reports where number = 2;').code).toBe(0);
      const r1 = cli(['report', 'zreports', '--verify'], MIA, gone);
      expect(r1.code).toBe(4);
      expect(r1.stderr).toMatch(/Z report 2 was closed but is no longer in the database/);
      const paid = copy();
      expect(sqlite3(paid, "update payments set tendered = 4000 where kind = 'payment' and method = 'cash' and tendered = 5000").code).toBe(0);
      const r2 = cli(['report', 'zreports', '--verify'], MIA, paid);
      expect(r2.code).toBe(4);
      expect(r2.stderr).toMatch(/the payments of Z report 1's period no longer add up to its figures/);
    });
  });
});
