// Ticket PDFs through the real binary, read back as people and door scanners read them:
// pdftotext must find the event, place, order and the accented holder name; every QR code on
// every rendered page must decode (zbarimg) to its own ticket's code, and to nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, prepareBox, preparedSandbox, sandbox } from './helpers/cli.js';
import { pdfPageSize, pdfPages, pdfText, qrCodesByPage } from './helpers/pdf.js';

const box = sandbox();
const HOLDER = 'Zoë Łukasiewicz';

interface Sold {
  code: string;
  tickets: { code: string; seat: string | null; section: string; row: string | null; number: number | null; tier: string }[];
}

let reserved: Sold;
let standing: Sold;

function sell(args: string[]): Sold {
  const r = box.run(['sell', 'Festa de São João', ...args, '--pay', 'cash', '--json']);
  if (r.code !== 0) throw new Error(`sale failed (${r.code}): ${r.stderr}`);
  return r.json;
}

function outbox(type: string): { subject: string; data: Record<string, any> }[] {
  const db = new Database(box.db, { readonly: true });
  try {
    return (db.prepare('select subject, data from outbox where type = ? order by seq').all(type) as { subject: string; data: string }[]).map((r) => ({ subject: r.subject, data: JSON.parse(r.data) }));
  } finally {
    db.close();
  }
}

const file = (name: string) => path.join(box.dir, name);
const sorted = (codes: string[]) => [...codes].sort();

beforeAll(() => {
  prepareBox(box, { venue: 'Teatro São João', city: 'Łódź', timezone: 'Europe/Warsaw', event: 'Festa de São João' });
  reserved = sell(['--seats', 'C-7,C-8,C-9', '--tier', 'Adult=2,Child=1', '--name', HOLDER, '--email', 'zoe@example.com']);
  standing = sell(['--quantity', '2', '--section', 'Floor', '--tier', 'Adult']);
});
afterAll(() => box.cleanup());

describe('tickets pdf <order>', () => {
  it('A4: the text holds event, venue, local time, seats, tiers, prices, order code and the accented name; every QR decodes to its ticket', () => {
    const out = file('order-a4.pdf');
    const r = box.run(['tickets', 'pdf', reserved.code, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ order: reserved.code, file: out, tickets: 3, pages: 1, layout: 'a4' });
    expect(pdfPageSize(out)).toEqual([595.28, 841.89]);

    const text = pdfText(out);
    expect(text).toContain('Festa de São João');
    expect(text).toContain('Teatro São João · Łódź');
    // 20:00 at the venue (Warsaw), not UTC (19:00) and not the test machine's zone.
    expect(text).toContain('Monday, 1 March 2027 at 20:00');
    expect(text).toContain(`Name: ${HOLDER}`);
    expect(text).toContain(`Order ${reserved.code}`);
    for (const seat of [7, 8, 9]) expect(text).toMatch(new RegExp(`Stalls\\s+C\\s+${seat}\\b`));
    expect(text.match(/Adult · €25\.00/g)).toHaveLength(2);
    expect(text).toContain('Child · €12.50');
    for (const t of reserved.tickets) expect(text.replace(/ /g, '')).toContain(t.code);

    const pages = qrCodesByPage(out);
    expect(pages).toHaveLength(1);
    expect(sorted(pages[0])).toEqual(sorted(reserved.tickets.map((t) => t.code)));
  });

  it('stock: one ticket a page at the thermal size, each page scanning as its own ticket in order', () => {
    const out = file('order-stock.pdf');
    const r = box.run(['tickets', 'pdf', reserved.code, '-o', out, '--layout', 'stock']);
    expect(r.code, r.stderr).toBe(0);
    expect(pdfPages(out)).toBe(3);
    expect(pdfPageSize(out)).toEqual([396, 144]);
    expect(qrCodesByPage(out, { dpi: 200 })).toEqual(reserved.tickets.map((t) => [t.code]));
    expect(pdfText(out)).toContain(HOLDER);
  });

  it('general admission prints the section, not a seat; Portuguese labels with --lang pt', () => {
    const out = file('standing-pt.pdf');
    const r = box.run(['tickets', 'pdf', standing.code, '-o', out, '--lang', 'pt']);
    expect(r.code, r.stderr).toBe(0);
    const text = pdfText(out);
    expect(text).toContain('Floor · Entrada geral');
    expect(text).toContain(`Encomenda ${standing.code}`);
    expect(text).toContain('segunda-feira, 1 de março de 2027 às 20:00');
    expect(text).toContain('25,00 €');
    expect(text).not.toContain('Lugar');
    expect(sorted(qrCodesByPage(out)[0])).toEqual(sorted(standing.tickets.map((t) => t.code)));
  });

  it('writes tickets-<order>.pdf in the current folder by default, and to stdout with -o -', () => {
    const res = spawnSync(process.execPath, [BIN, 'tickets', 'pdf', reserved.code.toLowerCase()], {
      cwd: box.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db },
    });
    expect(res.status, res.stderr).toBe(0);
    expect(fs.existsSync(file(`tickets-${reserved.code}.pdf`))).toBe(true);
    expect(res.stderr).toContain(`tickets-${reserved.code}.pdf`);

    const piped = spawnSync(process.execPath, [BIN, 'tickets', 'pdf', reserved.code, '-o', '-'], { env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db } });
    expect(piped.status, String(piped.stderr)).toBe(0);
    expect(piped.stdout.subarray(0, 5).toString()).toBe('%PDF-');
    const streamed = file('streamed.pdf');
    fs.writeFileSync(streamed, piped.stdout);
    expect(sorted(qrCodesByPage(streamed)[0])).toEqual(sorted(reserved.tickets.map((t) => t.code)));
  });

  it('records each rendering in the outbox', () => {
    const rendered = outbox('tickets.rendered').filter((e) => e.subject === `order/${reserved.code}`);
    expect(rendered.length).toBeGreaterThanOrEqual(2);
    expect(rendered[0].data).toMatchObject({ order: reserved.code, tickets: 3, layout: 'a4', purpose: 'pdf' });
  });

  it('refuses what it cannot print: unknown order 3, unpaid hold 4, no output folder 2, bad layout 2', () => {
    expect(box.run(['tickets', 'pdf', 'QQQQQQ']).code).toBe(3);
    const hold = box.run(['hold', 'Festa de São João', '--seats', 'J-1', '--tier', 'Adult', '--json']);
    expect(hold.code, hold.stderr).toBe(0);
    const pending = box.run(['tickets', 'pdf', hold.json.code, '-o', file('x.pdf')]);
    expect(pending.code).toBe(4);
    expect(pending.stderr).toContain('not paid yet');
    expect(box.run(['tickets', 'pdf', reserved.code, '-o', file('missing/x.pdf')]).code).toBe(2);
    expect(box.run(['tickets', 'pdf', reserved.code, '--layout', 'a5']).code).toBe(2);
    expect(box.run(['tickets', 'pdf']).code).toBe(2);
    expect(fs.existsSync(file('x.pdf'))).toBe(false);
  });
});

describe('tickets pdf --event', () => {
  it("puts every valid ticket of the event in one PDF, each QR decoding to its ticket's code", () => {
    const out = file('event.pdf');
    const r = box.run(['tickets', 'pdf', '--event', 'Festa de São João', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const all = [...reserved.tickets, ...standing.tickets].map((t) => t.code);
    expect(r.json).toMatchObject({ tickets: all.length, pages: 2, event: 'Festa de São João' });
    expect(sorted(qrCodesByPage(out).flat())).toEqual(sorted(all));
  });
});

describe('tickets pdf --event as a clerk', () => {
  it("is refused before anything is said or written, in words about printing an event's tickets", () => {
    const staffed = preparedSandbox();
    try {
      const sale = staffed.run(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash']);
      expect(sale.code, sale.stderr).toBe(0);
      expect(staffed.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821']).code).toBe(0);
      const ana = { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' };
      expect(staffed.run(['staff', 'add', 'Carl', '--role', 'clerk', '--pin', '1111'], ana).code).toBe(0);
      const carl = { BOXOFFICE_OPERATOR: 'Carl', BOXOFFICE_PIN: '1111' };
      const out = path.join(staffed.dir, 'all.pdf');

      const refused = staffed.run(['tickets', 'pdf', '--event', 'Gala', '-o', out], carl);
      expect(refused.code).toBe(5);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).not.toMatch(/Rendering/);
      expect(refused.stderr).toMatch(/Carl \(clerk\) may not print a whole event's tickets: that needs the admin or manager role/);
      expect(refused.stderr).not.toMatch(/set up events/);
      expect(fs.existsSync(out)).toBe(false);
      const json = staffed.run(['--json', 'tickets', 'pdf', '--event', 'Gala', '-o', out], carl);
      expect([json.code, JSON.parse(json.stderr).error.code]).toEqual([5, 'forbidden']);

      const allowed = staffed.run(['tickets', 'pdf', '--event', 'Gala', '-o', out], ana);
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(allowed.stderr).toMatch(/Rendering 2 tickets for Gala…[\s\S]*Wrote 2 tickets/);
      expect(fs.existsSync(out)).toBe(true);
    } finally {
      staffed.cleanup();
    }
  });
});

describe('sell --pdf', () => {
  it("writes the new order's tickets after the sale and says where", () => {
    const out = file('sold.pdf');
    const r = box.run(['sell', 'Festa de São João', '--seats', 'D-1,D-2', '--tier', 'Adult', '--pay', 'cash', '--name', 'João Sá', '--pdf', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.pdf).toMatchObject({ file: out, tickets: 2, pages: 1 });
    expect(sorted(qrCodesByPage(out)[0])).toEqual(sorted(r.json.tickets.map((t: { code: string }) => t.code)));
    expect(pdfText(out)).toContain('Name: João Sá');
  });

  it('refuses a PDF path it cannot write before selling anything', () => {
    const before = box.run(['order', 'list', '--json']).json.length;
    const r = box.run(['sell', 'Festa de São João', '--seats', 'D-5', '--tier', 'Adult', '--pay', 'cash', '--pdf', file('nowhere/t.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not exist');
    expect(box.run(['order', 'list', '--json']).json.length).toBe(before);
  });
});

describe('tickets show and reissue', () => {
  it('shows a ticket as JSON with the contract fields; an unknown code exits 3', () => {
    const t = reserved.tickets[0];
    const r = box.run(['tickets', 'show', t.code.toLowerCase(), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      id: t.code,
      code: t.code,
      status: 'valid',
      tier: 'Adult',
      price: 2500,
      currency: 'EUR',
      section: 'Stalls',
      row: 'C',
      number: 7,
      seat: 'C-7',
      order: reserved.code,
      holderName: HOLDER,
      event: { name: 'Festa de São João', venue: 'Teatro São João', city: 'Łódź', startsAt: '2027-03-01T20:00:00+01:00' },
      checkedIn: null,
    });
    const piped = box.run(['tickets', 'show', t.code]);
    expect(piped.stdout).toContain('Stalls, row C, seat 7');
    expect(piped.stdout).not.toContain('█');
    const unknown = box.run(['tickets', 'show', '0000000000', '--json']);
    expect(unknown.code).toBe(3);
    expect(JSON.parse(unknown.stderr).error.code).toBe('ticket_unknown');
  });

  it('reissues a lost ticket: the old code is void, the new one prints and scans in its place', () => {
    const lost = reserved.tickets[1];
    const r = box.run(['tickets', 'reissue', lost.code, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ old: lost.code, status: 'valid', seat: 'C-8', order: reserved.code, replaces: lost.code });
    const fresh = r.json.code as string;
    expect(fresh).not.toBe(lost.code);
    expect(box.run(['tickets', 'show', lost.code, '--json']).json).toMatchObject({ status: 'void', replacedBy: fresh });
    expect(box.run(['tickets', 'reissue', lost.code]).code).toBe(4);

    const out = file('after-reissue.pdf');
    expect(box.run(['tickets', 'pdf', reserved.code, '-o', out]).code).toBe(0);
    const codes = qrCodesByPage(out)[0];
    expect(codes).toContain(fresh);
    expect(codes).not.toContain(lost.code);
    expect(codes).toHaveLength(3);
    expect(box.run(['checkin', lost.code]).code).toBe(4);
    expect(box.run(['checkin', fresh]).code).toBe(0);
    expect(box.run(['tickets', 'show', fresh, '--json']).json.checkedIn).not.toBeNull();
  });
});

describe('tickets print', () => {
  it('hands the PDF to the configured print command with the printer filled in', () => {
    const log = file('print-log.txt');
    const copy = file('printed.pdf');
    const command = `sh -c 'echo "$1" > ${log}; cp "$2" ${copy}' sh {printer} {file}`;
    const r = box.run(['tickets', 'print', standing.code, '--printer', 'boca 1', '--json'], { BOXOFFICE_PRINT_COMMAND: command });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ order: standing.code, printer: 'boca 1', tickets: 2, kept: false });
    expect(fs.readFileSync(log, 'utf8').trim()).toBe('boca 1');
    expect(sorted(qrCodesByPage(copy)[0])).toEqual(sorted(standing.tickets.map((t) => t.code)));
    // The spool file is gone once the printer has it.
    expect(fs.existsSync(r.json.file)).toBe(false);
  });

  it('a failing printer is a clear error that keeps the PDF and says where it is', () => {
    const r = box.run(['tickets', 'print', standing.code, '--json'], { BOXOFFICE_PRINT_COMMAND: 'sh -c "echo paper jam >&2; exit 3"' });
    expect(r.code).toBe(1);
    const error = JSON.parse(r.stderr).error;
    expect(error.code).toBe('print_failed');
    expect(error.message).toContain('paper jam');
    expect(error.hint).toContain(error.details.pdf);
    expect(fs.existsSync(error.details.pdf)).toBe(true);
    expect(sorted(qrCodesByPage(error.details.pdf)[0])).toEqual(sorted(standing.tickets.map((t) => t.code)));
    fs.rmSync(error.details.pdf);

    const missing = box.run(['tickets', 'print', standing.code], { BOXOFFICE_PRINT_COMMAND: 'no-such-printer-command {file}' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-printer-command was not found');
    const kept = /the PDF is kept at (\S+\.pdf)/.exec(missing.stderr);
    expect(kept).not.toBeNull();
    expect(fs.existsSync(kept![1])).toBe(true);
    fs.rmSync(kept![1]);
  });

  it('a custom command that needs a printer refuses before rendering when none is named', () => {
    const r = box.run(['tickets', 'print', standing.code], { BOXOFFICE_PRINT_COMMAND: 'lpr -P {printer} {file}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--printer');
  });
});
