// Imports through the real binary: every documented example imports and re-imports as a no-op,
// one bad row deep in a file imports nothing and leaves the database file byte for byte as it was,
// every bad row is named by line and column, and staging without the lock survives a concurrent change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from './helpers/cli.js';
import { meanwhile, openCore, type CoreFixture, sqliteOf } from './helpers/core.js';
import { importFile } from '../src/core/data/import.js';
import { FORMATS, IMPORT_KINDS } from '../src/core/data/import-formats.js';
import { addStaff } from '../src/core/staff/staff.js';
import { BoxofficeError } from '../src/core/errors.js';

const EXAMPLES = path.join(ROOT, 'docs', 'examples');

/** Folds the WAL into the main file, then hashes the file: equal hashes mean nothing was written. */
function fileDigest(file: string): string {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const wal = `${file}-wal`;
  if (fs.existsSync(wal)) expect(fs.statSync(wal).size).toBe(0);
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('the documented examples', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());
  const steps: [string, string][] = [
    ['venues', 'venues.csv'],
    ['seatmap', 'seatmap.csv'],
    ['events', 'events.csv'],
    ['events', 'events.json'],
    ['prices', 'prices.csv'],
    ['leads', 'leads.csv'],
    ['leads', 'leads.json'],
  ];

  it('import in order, in full', () => {
    expect(box.run(['init']).code).toBe(0);
    for (const [kind, file] of steps) {
      const r = box.run(['--json', 'import', kind, path.join(EXAMPLES, file)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.json.updated).toBe(0);
      expect(r.json.created).toBe(r.json.rows);
    }
    const venue = box.run(['--json', 'venue', 'show', 'Riverside Theatre']).json;
    expect(venue.sections.map((s: any) => [s.name, s.kind, s.capacity])).toEqual([
      ['Stalls', 'reserved', 72],
      ['Balcony', 'reserved', 16],
    ]);
    const hamlet = box.run(['--json', 'event', 'show', 'Hamlet']).json;
    expect(hamlet.orderLimit).toBe(8);
    expect(hamlet.startsAt).toBe('2027-03-01T20:00:00+00:00');
    expect(hamlet.tiers.find((t: any) => t.name === 'Adult').prices).toEqual(
      expect.arrayContaining([
        { zone: null, price: 2500 },
        { zone: 'Premium', price: 3500 },
      ]),
    );
    // Row A is the front row: ranks follow the order rows first appear in the file.
    expect(count(box.db, "select row_rank from seats s join sections c on c.id = s.section_id where c.name = 'Stalls' and row_label = 'A' limit 1")).toBe(0);
    expect(count(box.db, 'select count(*) from seats where accessible = 1')).toBe(2);
    expect(count(box.db, "select count(*) from leads where external_id like 'CRM-%'")).toBe(5);
  });

  it('import again changes nothing, not a byte', () => {
    const before = fileDigest(box.db);
    for (const [kind, file] of steps) {
      const r = box.run(['--json', 'import', kind, path.join(EXAMPLES, file)]);
      expect(r.code).toBe(0);
      expect([r.json.created, r.json.updated, r.json.unchanged]).toEqual([0, 0, r.json.rows]);
    }
    expect(fileDigest(box.db)).toBe(before);
  });

  it('a price for a zone no seat is in is refused, naming the line and the zones there are', () => {
    const file = path.join(box.dir, 'prices-typo.csv');
    fs.writeFileSync(file, 'event,tier,zone,price\nEVT-2027-HAM-1,Adult,,26.00\nEVT-2027-HAM-1,Adult,Premuim,36.00\n');
    const before = fileDigest(box.db);
    const r = box.run(['import', 'prices', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prices-typo\.csv:3:\d+: zone: no seats at Hamlet's venue are in zone "Premuim"; its zones: .*Premium/);
    expect(fileDigest(box.db)).toBe(before);
  });

  it('venue seatmap import is import seatmap --venue V (a GA section from JSON)', () => {
    const r = box.run(['venue', 'seatmap', 'import', 'The Cellar Club', path.join(EXAMPLES, 'seatmap-ga.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/2 created/);
    const again = box.run(['--json', 'import', 'seatmap', path.join(EXAMPLES, 'seatmap-ga.json'), '--venue', 'VEN-002']);
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const cellar = box.run(['--json', 'venue', 'show', 'The Cellar Club']).json;
    expect(cellar.sections.map((s: any) => [s.name, s.kind, s.capacity])).toEqual([
      ['Floor', 'ga', 200],
      ['Standing', 'ga', 350],
      ['Mezzanine', 'ga', 80],
    ]);
  });

  it('--dry-run says what would change and writes nothing', () => {
    const file = path.join(box.dir, 'events-moved.csv');
    fs.writeFileSync(file, 'external_id,name,venue,starts,order_limit\nEVT-2027-HAM-1,Hamlet,VEN-001,2027-03-01T19:30,6\nNEW-1,Othello,VEN-001,2027-05-01T20:00,\n');
    const before = fileDigest(box.db);
    const r = box.run(['--json', 'import', 'events', file, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ dryRun: true, created: 1, updated: 1, unchanged: 0 });
    expect(r.json.changes[0]).toMatchObject({
      line: 2,
      action: 'update',
      changes: { starts_at: { from: '2027-03-01T20:00:00.000Z', to: '2027-03-01T19:30:00.000Z' }, order_limit: { from: 8, to: 6 } },
    });
    expect(r.json.changes[1]).toMatchObject({ line: 3, action: 'create' });
    const human = box.run(['import', 'events', file, '--dry-run']);
    expect(human.stdout).toMatch(/^line\taction\twhat\tchanges\n2\tupdate\tHamlet/);
    expect(human.stderr).toMatch(/1 to create, 1 to update, 0 unchanged\. Nothing was written/);
    expect(fileDigest(box.db)).toBe(before);
    // And for real: the update lands, and is recorded in the feed.
    expect(box.run(['import', 'events', file]).code).toBe(0);
    expect(box.run(['--json', 'event', 'show', 'Hamlet']).json.orderLimit).toBe(6);
    expect(count(box.db, "select count(*) from outbox where type = 'event.updated'")).toBe(1);
  });
});

describe('one bad row deep in a file', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());
  const rows = 5000;
  const badLine = 4711;
  const file = () => path.join(box.dir, 'leads.csv');

  /**
   * name,email,…: email is column 2. Line 3 holds a quoted name over two lines, so record ≠ line
   * numbers: the line break is at its end, where it is trimmed (names are one line of text).
   */
  function writeLeads(bad: boolean) {
    const lines = ['Name,Email,Source,Consent'];
    lines.push('"Ana ""the first"" Silva",ana@example.com,newsletter,yes');
    lines.push('"Bruno Costa\n",bruno@example.com,flyer,no');
    // Line numbers so far: 1 header, 2 Ana, 3–4 Bruno.
    for (let line = 5; line <= rows; line++) {
      const email = bad && line === badLine ? 'not-an-email' : `guest${line}@example.com`;
      lines.push(`Guest ${line},${email},web,`);
    }
    fs.writeFileSync(file(), `${lines.join('\n')}\n`);
  }

  it('exits 2 naming the file, line and column, and the database file is unchanged', () => {
    expect(box.run(['init']).code).toBe(0);
    const before = fileDigest(box.db);
    writeLeads(true);
    const r = box.run(['import', 'leads', file()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*leads\.csv: 1 problem; nothing was imported/);
    expect(r.stderr).toContain(`leads.csv:${badLine}:2: email: not an email address: "not-an-email"`);
    expect(fileDigest(box.db)).toBe(before);

    const json = box.run(['--json', 'import', 'leads', file()]);
    expect(json.code).toBe(2);
    const error = JSON.parse(json.stderr).error;
    expect(error.code).toBe('invalid_input');
    expect(error.details.errors).toEqual([{ line: badLine, column: 2, field: 'email', message: 'not an email address: "not-an-email"' }]);
    expect(fileDigest(box.db)).toBe(before);
  });

  it('the corrected file imports every row, the name that ends in a line break trimmed', () => {
    writeLeads(false);
    const r = box.run(['--json', 'import', 'leads', file()]);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ rows: rows - 2, created: rows - 2, updated: 0 });
    expect(count(box.db, 'select count(*) from leads')).toBe(rows - 2);
    expect(count(box.db, "select count(*) from leads where name = 'Bruno Costa'")).toBe(1);
    expect(count(box.db, "select count(*) from outbox where type = 'lead.created'")).toBe(rows - 2);
  });

  it('importing it again changes nothing', () => {
    const before = fileDigest(box.db);
    const r = box.run(['import', 'leads', file()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/all 4998 rows are already in the database; nothing changed/);
    expect(fileDigest(box.db)).toBe(before);
  });
});

describe('every bad row is named', () => {
  const box = sandbox();
  beforeAll(() => {
    expect(box.run(['init']).code).toBe(0);
    expect(box.run(['venue', 'add', 'Main Hall', '--city', 'Lisbon']).code).toBe(0);
  });
  afterAll(() => box.cleanup());
  const write = (name: string, text: string) => {
    const f = path.join(box.dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('lists problems of different rows and kinds in file order, unknown references and duplicates too', () => {
    const f = write(
      'events.csv',
      [
        'name,venue,starts,ends,currency,order_limit',
        'Gala,Main Hall,2027-03-01T20:00,2027-03-01T19:00,EUR,10',
        'Matinee,Nowhere,2027-03-02T15:00,,EUR,',
        'Late show,Main Hall,2027-02-30T22:00,,EUR,',
        'Concert,Main Hall,2027-03-05T20:00,,EURO,0',
        'Opera,Main Hall,2027-03-06T20:00,,,',
        'Opera,main hall,2027-03-06T20:00,,,',
      ].join('\n'),
    );
    const r = box.run(['--json', 'import', 'events', f]);
    expect(r.code).toBe(2);
    const errors = JSON.parse(r.stderr).error.details.errors.map((e: any) => [e.line, e.column, e.field]);
    expect(errors).toEqual([
      [2, 4, 'ends'],
      [3, 2, 'venue'],
      [4, 3, 'starts'],
      [5, 5, 'currency'],
      [5, 6, 'order_limit'],
      [7, 1, 'name'],
    ]);
    expect(count(box.db, 'select count(*) from events')).toBe(0);
  });

  it('stops listing at 100 and counts the rest', () => {
    const lines = ['email'];
    for (let i = 0; i < 150; i++) lines.push(`bad${i}`);
    const r = box.run(['import', 'leads', write('many.csv', lines.join('\n'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/150 problems; nothing was imported/);
    expect(r.stderr.match(/many\.csv:\d+:1: email:/g)).toHaveLength(100);
    expect(r.stderr).toMatch(/… and 50 more/);
  });

  it('names the header: unknown and missing columns', () => {
    const r = box.run(['import', 'venues', write('venues.csv', 'name,town,timezone\nX,Y,UTC\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('venues.csv:1:2: town: unknown column "town"');
    expect(r.stderr).toContain('venues.csv:1: city: the required column "city" is missing');
  });

  it('names the line of a bad object and of broken syntax in JSON', () => {
    const r = box.run([
      'import',
      'leads',
      write('leads.json', '[\n  {"email": "a@example.com"},\n  {\n    "email": "b@example.com",\n    "consent": "perhaps"\n  },\n  {"email": "c@example.com", "name": }\n]\n'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads\.json:7: not valid JSON/);
    const values = box.run(['import', 'leads', write('leads2.json', '[\n  {"email": "a@example.com"},\n  {\n    "email": "b@example.com",\n    "consent": "perhaps"\n  }\n]\n')]);
    expect(values.code).toBe(2);
    expect(values.stderr).toContain('leads2.json:3: consent: must be yes or no, not "perhaps"');
  });

  it('names a quoting error, a short row and a seat map row that is neither reserved nor GA', () => {
    const quoted = box.run(['import', 'venues', write('q.csv', 'name,city\n"Hall,Lisbon\nOther,Porto\n')]);
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toMatch(/q\.csv:\d+: the file is not valid CSV/);
    const short = box.run(['import', 'venues', write('s.csv', 'name,city,timezone\nHall,Lisbon\n')]);
    expect(short.stderr).toContain('s.csv:2:2: 2 values where the header has 3 columns');
    const seat = box.run(['import', 'seatmap', write('m.csv', 'section,row,seat,capacity\nStalls,A,,\nFloor,A,1,100\nStalls,A,1,\nStalls,a,1,\n'), '--venue', 'Main Hall']);
    expect(seat.code).toBe(2);
    expect(seat.stderr).toContain('m.csv:2:3: seat: is required for a reserved seat');
    expect(seat.stderr).toContain('m.csv:3:2: row: a general-admission row (with a capacity) has no row');
    expect(seat.stderr).toContain('m.csv:5:3: seat: seat Stalls:a-1 is also on line 4');
  });

  it('an unknown kind or a missing file exits 2', () => {
    expect(box.run(['import', 'widgets', 'x.csv']).code).toBe(2);
    const missing = box.run(['import', 'venues', path.join(box.dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe('files that are not clean UTF-8 CSV or JSON', () => {
  const box = sandbox();
  beforeAll(() => {
    expect(box.run(['init']).code).toBe(0);
    expect(box.run(['venue', 'add', 'Main Hall', '--city', 'Lisbon']).code).toBe(0);
    expect(box.run(['event', 'add', 'Gala', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00']).code).toBe(0);
  });
  afterAll(() => box.cleanup());
  const write = (name: string, data: string | Buffer) => {
    const f = path.join(box.dir, name);
    fs.writeFileSync(f, data);
    return f;
  };
  /** A refusal through the real binary: exit 2, no stack, nothing written. */
  const refused = (args: string[]) => {
    const before = fileDigest(box.db);
    const r = box.run(args);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|unexpected error/);
    expect(r.code).toBe(2);
    expect(fileDigest(box.db)).toBe(before);
    return r;
  };

  it('a header of 200,000 columns is refused (exit 2) as too wide, not a crash', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `c${i}`);
    const f = write('wide.csv', `${names.join(',')}\n${names.map(() => 'x').join(',')}\n`);
    const r = refused(['import', 'leads', f]);
    expect(r.stderr).toContain('wide.csv:1: the header has 200000 columns; an import file has at most 100 (leads files have 6: external_id, email, name, source, event, consent)');
    // A JSON object with as many keys, the same.
    const keys = `[{${names.map((n) => `"${n}": 1`).join(', ')}}]`;
    const j = refused(['import', 'leads', write('wide.json', keys)]);
    expect(j.stderr).toContain('wide.json:1: the file has more than 100 different fields; an import file has at most 100 (leads files have 6: external_id, email, name, source, event, consent)');
  });

  it('a Latin-1 file is refused at its first non-UTF-8 line, with the way to convert it', () => {
    const latin = Buffer.from('email,name\nana@example.com,Ana\njose@example.com,Jos\xe9\n', 'latin1');
    const r = refused(['import', 'leads', write('latin.csv', latin)]);
    expect(r.stderr).toContain('latin.csv:3: the file is not UTF-8 text');
    expect(r.stderr).toContain('iconv -f latin1 -t utf-8');
    const json = Buffer.from('[\n  {"email": "ana@example.com"},\n  {"email": "jose@example.com", "name": "Jos\xe9"}\n]\n', 'latin1');
    expect(refused(['import', 'leads', write('latin.json', json)]).stderr).toContain('latin.json:3: the file is not UTF-8 text');
    // Standard input is checked the same way.
    const piped = spawnSync(process.execPath, [BIN, '--db', box.db, 'import', 'leads', '-'], { input: latin, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: box.dir } });
    expect(piped.status).toBe(2);
    expect(piped.stderr).toContain('stdin:3: the file is not UTF-8 text');
  });

  it('a bad byte deep in a large file is named by its line; characters split across reads and a BOM are fine', () => {
    // 6,000 lines of two-byte characters at odd offsets: the file's 64 KiB reads end inside characters.
    const lines = ['\uFEFFemail,name'];
    for (let i = 2; i <= 6000; i++) lines.push(`g${i}@example.com,${'ç'.repeat(i % 7)}Zoë ${'é'.repeat(i % 5)}`);
    const good = Buffer.from(`${lines.join('\r\n')}\r\n`);
    const ok = box.run(['--json', 'import', 'leads', write('accents.csv', good), '--dry-run']);
    expect(ok.stderr).toBe('');
    expect(ok.json).toMatchObject({ rows: 5999, created: 5999 });
    const at = good.indexOf(Buffer.from('g4711@example.com'));
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xe9]), good.subarray(at + 1)]);
    expect(refused(['import', 'leads', write('accents-bad.csv', bad)]).stderr).toContain('accents-bad.csv:4711: the file is not UTF-8 text');
    // Old Mac line endings (a lone CR) count as lines too.
    const mac = Buffer.from('email,name\ra@example.com,A\rb@example.com,B\xff\r', 'latin1');
    expect(refused(['import', 'leads', write('mac.csv', mac)]).stderr).toContain('mac.csv:3: the file is not UTF-8 text');
  });

  it('a binary file is named as not a text file, not as empty', () => {
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0xcd, 0x4d, 0xcc, 0xcc, 0xe1, 0x02, 0x00]);
    for (const [name, data] of [
      ['leads.csv.gz', gzip],
      ['leads.csv', Buffer.concat([Buffer.from('PK\x03\x04'), gzip])],
      ['leads.json', Buffer.alloc(100)],
    ] as const) {
      const r = refused(['import', 'leads', write(name, data)]);
      expect(r.stderr).toContain(`${name}:1: the file is not a text CSV or JSON file`);
      expect(r.stderr).not.toMatch(/empty|unknown column/);
    }
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\r\na@example.com\r\n', 'utf16le')]);
    expect(refused(['import', 'leads', write('utf16.csv', utf16)]).stderr).toContain('utf16.csv:1: the file is UTF-16 text');
    // A really empty file is still called empty.
    expect(refused(['import', 'leads', write('empty.csv', '')]).stderr).toContain('empty.csv:1: the file is empty');
  });

  it('a JSON price of -0 is refused like any negative amount', () => {
    const r = refused(['import', 'prices', write('p.json', '[\n  {"event": "Gala", "tier": "Adult", "price": 0},\n  {"event": "Gala", "tier": "Child", "price": -0}\n]\n')]);
    expect(r.stderr).toMatch(/p\.json:3: price: must be a plain non-negative amount/);
    expect(r.stderr).not.toContain('p.json:2');
  });
});

describe('dates, currencies and amounts out of range (imports)', () => {
  const box = sandbox();
  beforeAll(() => {
    expect(box.run(['init']).code).toBe(0);
    expect(box.run(['venue', 'add', 'Main Hall', '--city', 'Lisbon', '--timezone', 'Europe/Lisbon']).code).toBe(0);
    expect(box.run(['event', 'add', 'Gala', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00']).code).toBe(0);
  });
  afterAll(() => box.cleanup());
  const write = (name: string, text: string) => {
    const f = path.join(box.dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('years before 1970 or after 9999 and unknown currencies are refused at their line and column', () => {
    const f = write(
      'events.csv',
      [
        'name,venue,starts,ends,currency',
        'A,Main Hall,0099-01-01T20:00,,EUR',
        'B,Main Hall,0100-01-01T20:00,,EUR',
        'C,Main Hall,0000-01-01,,EUR',
        'D,Main Hall,2027-03-01T20:00,0099-03-01T22:00,EUR',
        'E,Main Hall,2027-03-01T20:00,,XYZ',
        'F,Main Hall,2027-03-01T20:00+01:00,,xau',
        'G,Main Hall,1969-12-31T23:00Z,,EUR',
        'H,Main Hall,2027-03-01T20:00,,jpy',
      ].join('\n'),
    );
    const before = fileDigest(box.db);
    const r = box.run(['--json', 'import', 'events', f]);
    expect(r.code).toBe(2);
    const errors = JSON.parse(r.stderr).error.details.errors.map((e: any) => [e.line, e.column, e.field, e.message]);
    expect(errors).toEqual([
      [2, 3, 'starts', expect.stringMatching(/years 1970 to 9999.*"0099-01-01T20:00"/)],
      [3, 3, 'starts', expect.stringMatching(/years 1970 to 9999/)],
      [4, 3, 'starts', expect.stringMatching(/years 1970 to 9999/)],
      [5, 4, 'ends', expect.stringMatching(/years 1970 to 9999/)],
      [6, 5, 'currency', 'unknown currency: XYZ'],
      [7, 5, 'currency', 'unknown currency: XAU'],
      [8, 3, 'starts', expect.stringMatching(/years 1970 to 9999/)],
    ]);
    expect(fileDigest(box.db)).toBe(before);
  });

  it('a price beyond the most one amount may be is refused; the most is taken', () => {
    const before = fileDigest(box.db);
    const r = box.run(['import', 'prices', write('prices.csv', 'event,tier,price\nGala,Adult,90071992547409.91\nGala,Child,10000000.01\nGala,Max,10000000.00\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prices.csv:2:3: price: 90071992547409.91 is more than the most one amount may be (10000000.00 EUR)');
    expect(r.stderr).toContain('prices.csv:3:3: price: 10000000.01 is more than');
    expect(r.stderr).not.toContain('prices.csv:4');
    expect(fileDigest(box.db)).toBe(before);
    const json = box.run(['--json', 'import', 'prices', write('prices.json', '[{"event": "Gala", "tier": "Adult", "price": 90071992547409.91}]')]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error.details.errors[0]).toMatchObject({ line: 1, field: 'price', message: expect.stringMatching(/is more than the most one amount may be/) });
  });
});

describe('roles', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());
  it('a clerk may not import venues or leads (exit 5); a manager may import events', () => {
    expect(box.run(['init']).code).toBe(0);
    expect(box.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821']).code).toBe(0);
    const admin = { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' };
    expect(box.run(['staff', 'add', 'Carl', '--role', 'clerk', '--pin', '1111'], admin).code).toBe(0);
    expect(box.run(['staff', 'add', 'Mia', '--role', 'manager', '--pin', '2222'], admin).code).toBe(0);
    const venues = path.join(EXAMPLES, 'venues.csv');
    const clerk = { BOXOFFICE_OPERATOR: 'Carl', BOXOFFICE_PIN: '1111' };
    expect(box.run(['import', 'venues', venues], clerk).code).toBe(5);
    expect(box.run(['import', 'leads', path.join(EXAMPLES, 'leads.json')], clerk).code).toBe(5);
    expect(box.run(['import', 'venues', venues], { BOXOFFICE_OPERATOR: 'Mia', BOXOFFICE_PIN: '2222' }).code).toBe(5);
    expect(box.run(['import', 'venues', venues], admin).code).toBe(0);
    expect(box.run(['import', 'events', path.join(EXAMPLES, 'events.csv')], { BOXOFFICE_OPERATOR: 'Mia', BOXOFFICE_PIN: '2222' }).code).toBe(0);
  });
});

describe('staging without the lock', () => {
  let core: CoreFixture;
  afterEach(async () => core?.close());

  it('stages again under the lock when someone changed the data meanwhile', async () => {
    core = await openCore();
    const file = path.join(path.dirname(core.handle.file), 'venues.csv');
    fs.writeFileSync(file, 'name,city,timezone\nMain Hall,Lisbon,Europe/Lisbon\nAnnex,Lisbon,\n');
    // Between staging and the write, another terminal adds "Main Hall" (with its event).
    const race = meanwhile(
      core,
      "insert into venues (name, name_key, city, timezone, created_at) values ('Main Hall', 'main hall', 'Porto', 'UTC', 'x')",
      "insert into outbox (id, type, subject, time, operator, data) values ('race', 'venue.created', 'venue/1', 'x', 'other', '{}')",
    );
    const result = await importFile(core.ctx, { kind: 'venues', file, onProgress: race.onProgress });
    expect(race.raced).toBe(true);
    // Not a unique-index crash: the import saw the new venue and updated it instead.
    expect(result).toMatchObject({ created: 1, updated: 1 });
    const venues = sqliteOf(core).prepare('select name, city, timezone from venues order by id').all();
    expect(venues).toEqual([
      { name: 'Main Hall', city: 'Lisbon', timezone: 'Europe/Lisbon' },
      { name: 'Annex', city: 'Lisbon', timezone: 'UTC' },
    ]);
  });

  it('refuses before reading when the role is wrong', async () => {
    core = await openCore();
    await addStaff(core.ctx, { name: 'Ana', role: 'admin', pin: '4821' });
    const clerk = core.as({ staffId: 2, name: 'Carl', role: 'clerk' });
    await expect(importFile(clerk, { kind: 'venues', file: '/nonexistent.csv' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(importFile(core.ctx, { kind: 'venues', file: '/nonexistent.csv' })).rejects.toBeInstanceOf(BoxofficeError);
  });
});

describe('docs/import-formats.md', () => {
  it('documents every column of every kind', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'import-formats.md'), 'utf8');
    for (const kind of IMPORT_KINDS) {
      const section = doc.split(/^## /m).find((s) => s.startsWith(`${kind}\n`));
      expect(section, `a "## ${kind}" section`).toBeDefined();
      for (const column of FORMATS[kind].columns) {
        expect(section, `${kind}.${column}`).toMatch(new RegExp(`\`${column}\``));
      }
    }
  });
});

describe('progress on a terminal', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());

  it('a large file shows its progress on stderr at a terminal, and nothing of it when piped', () => {
    expect(box.run(['init']).code).toBe(0);
    const file = path.join(box.dir, 'big.csv');
    fs.writeFileSync(file, `email,name\n${Array.from({ length: 300_000 }, (_, i) => `g${i}@example.com,Guest ${i}`).join('\n')}\n`);
    // script(1) runs the command on a real pseudo-terminal and keeps every byte it wrote.
    const transcript = path.join(box.dir, 'transcript');
    const r = spawnSync('script', ['-q', '-e', '-c', `${process.execPath} ${BIN} --db ${box.db} import leads big.csv --dry-run`, transcript], {
      encoding: 'utf8',
      cwd: box.dir,
      env: { PATH: process.env.PATH ?? '', HOME: box.dir, TERM: 'xterm' },
    });
    expect(r.status, r.stderr).toBe(0);
    const screen = fs.readFileSync(transcript, 'utf8');
    expect(screen).toMatch(/\r\u001b\[2Kreading big\.csv {2}\d+% {2}[\d,]+ rows/);
    // The line is cleared before the table and the summary; a terminal gets the first 50 rows.
    expect(screen).toMatch(/ 100% {2}300,000 rows\r\u001b\[2K[^\r]*LINE +ACTION +WHAT/);
    expect(screen).toContain('… and 299950 more (all of them with --json, or piped)');
    expect(screen).toContain('Dry run of big.csv (300000 rows, leads): 300000 to create');
    const piped = spawnSync(process.execPath, [BIN, '--db', box.db, 'import', 'leads', file, '--dry-run'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { PATH: process.env.PATH ?? '', HOME: box.dir },
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout.split('\n')).toHaveLength(300_002);
    expect(piped.stderr).toBe(`Dry run of ${file} (300000 rows, leads): 300000 to create, 0 to update, 0 unchanged. Nothing was written.\n`);
  });
});
