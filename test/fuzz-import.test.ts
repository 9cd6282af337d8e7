// Random and hostile files for every importer: a clean import or a clear refusal (exit 2, naming
// a line), never an unexpected failure or a stack trace, and never a partial write.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { preparedSandbox } from './helpers/cli.js';
import { inProcess } from './helpers/in-process.js';

const box = preparedSandbox();
const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
afterAll(() => box.cleanup());

const columns: Record<string, string[]> = {
  venues: ['external_id', 'name', 'city', 'timezone'],
  seatmap: ['venue', 'section', 'row', 'seat', 'x', 'y', 'zone', 'accessible', 'obstructed', 'capacity'],
  events: ['external_id', 'name', 'venue', 'starts', 'ends', 'type', 'currency', 'order_limit'],
  prices: ['event', 'tier', 'zone', 'price'],
  leads: ['external_id', 'email', 'name', 'source', 'event', 'consent'],
};

const cell = fc.oneof(
  fc.constantFrom(
    'Main Hall',
    'Gala',
    'Stalls',
    'A',
    '1',
    '12',
    'yes',
    'no',
    'Lisbon',
    'Europe/Lisbon',
    'Mars/Olympus',
    '2027-03-01T20:00',
    '2027-02-30',
    '0099-01-01T20:00',
    '0100-01-01',
    'EUR',
    'XXX',
    'XYZ',
    '25.00',
    '-1',
    '-0',
    '1e9',
    '10000000.01',
    '90071992547409.91',
    'ana@example.com',
    'not-an-email',
    '',
    ' ',
    '"',
    '""',
    'a,b',
    'line\nbreak',
    "'; DROP TABLE leads; --",
    '=cmd|/C calc',
    '🎭',
    'Zoë',
    'x'.repeat(3000),
    '\t',
    '\r',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -10, max: 100_000 }).map(String),
);

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const file = (kind: string) =>
  fc.record({
    header: fc.shuffledSubarray(columns[kind], { minLength: 1 }),
    extraHeader: fc.option(fc.constantFrom('bogus', 'EMAIL', ''), { nil: undefined }),
    rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 11 }), { maxLength: 8 }),
    json: fc.boolean(),
    // Saved as Latin-1 instead of UTF-8 (what a spreadsheet on Windows may do).
    latin1: fc.boolean(),
    garbage: fc.option(fc.constantFrom('{', '[1,2', 'null', '"text"', '\u0000\u0001', '[{"a":1}]', '[]', ''), { nil: undefined }),
  });

function snapshot(): string {
  const db = new Sqlite(box.db, { readonly: true });
  try {
    const tables = ['venues', 'sections', 'seats', 'events', 'tiers', 'tier_prices', 'leads', 'outbox'];
    return JSON.stringify(tables.map((t) => db.prepare(`select * from ${t} order by rowid`).all()));
  } finally {
    db.close();
  }
}

let n = 0;
describe('import fuzzing', () => {
  for (const kind of Object.keys(columns)) {
    it(`${kind}: clean import or exit 2 naming the problem; never a partial write`, async () => {
      await fc.assert(
        fc.asyncProperty(file(kind), async (f) => {
          const header = f.extraHeader !== undefined ? [...f.header, f.extraHeader] : f.header;
          let text: string;
          let ext: string;
          if (f.garbage !== undefined) {
            text = f.garbage;
            ext = f.json ? 'json' : 'csv';
          } else if (f.json) {
            text = JSON.stringify(f.rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))));
            ext = 'json';
          } else {
            text = [header, ...f.rows].map((r) => r.map(csvField).join(',')).join('\n');
            ext = 'csv';
          }
          const target = path.join(box.dir, `fuzz-${n++}.${ext}`);
          fs.writeFileSync(target, f.latin1 ? Buffer.from(text, 'latin1') : text);
          const before = snapshot();
          const args = kind === 'seatmap' ? ['import', kind, target, '--venue', 'Main Hall'] : ['import', kind, target];
          const r = await run(args);
          expect([0, 2, 3], `${kind} ${JSON.stringify(text).slice(0, 300)} → ${r.code}: ${r.stderr}`).toContain(r.code);
          expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
          if (r.code !== 0) {
            expect(snapshot()).toBe(before);
            expect(r.stderr).toMatch(/error/i);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
