// Random and hostile command lines: every one ends in a clean result or a clear refusal (exit
// 2-5), never an unexpected failure or a stack trace, and a refused command writes nothing.
import fc from 'fast-check';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { preparedSandbox } from './helpers/cli.js';
import { inProcess } from './helpers/in-process.js';

const box = preparedSandbox();
const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
afterAll(() => box.cleanup());

const commands = [
  ['sell', 'Gala'],
  ['hold', 'Gala'],
  ['seats', 'Gala'],
  ['order', 'show'],
  ['order', 'refund'],
  ['order', 'pay'],
  ['order', 'cancel'],
  ['checkin'],
  ['event', 'add'],
  ['event', 'price', 'Gala'],
  ['venue', 'seatmap', 'generate', 'Main Hall'],
  ['event', 'list'],
  ['log'],
  ['seats', 'block', 'Gala'],
];
const options = [
  '--seats',
  '--best',
  '--quantity',
  '--tier',
  '--pay',
  '--tendered',
  '--card-ref',
  '--ref',
  '--email',
  '--name',
  '--section',
  '--minutes',
  '--limit',
  '--tickets',
  '--amount',
  '--starts',
  '--venue',
  '--price',
  '--zone',
  '--rows',
  '--capacity',
  '--gate',
  '--event',
  '--idempotency-key',
  '--yes',
  '--json',
  '--status',
  '--from',
];
const hostile = fc.oneof(
  fc.constantFrom(
    'A-1',
    'A-1,A-2',
    'Z-99',
    'A12',
    'A-x',
    ',,',
    'Stalls:A-3',
    ':',
    'Adult',
    'Adult=2,Child=1',
    'Child=5',
    'cash',
    'card',
    'comp',
    'bitcoin',
    '-5',
    '1e3',
    '10.001',
    '1,000.00',
    '€10',
    '0',
    '2',
    '99999999999999999999',
    '',
    ' ',
    "'; DROP TABLE orders; --",
    '=cmd|/C calc',
    '\u0000',
    '🎭',
    'x'.repeat(5000),
    '2027-02-30T20:00',
    'NaN',
    '--json',
    '-',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -5, max: 500 }).map(String),
);
const argv = fc
  .tuple(fc.constantFrom(...commands), fc.array(fc.tuple(fc.constantFrom(...options), hostile), { maxLength: 5 }), fc.array(hostile, { maxLength: 2 }))
  .map(([command, pairs, extra]) => [...command, ...extra, ...pairs.flat()]);

function snapshot() {
  const db = new Sqlite(box.db, { readonly: true });
  try {
    const tables = ['orders', 'tickets', 'payments', 'seat_claims', 'outbox', 'events', 'tiers', 'tier_prices', 'seats', 'customers'];
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`select count(*) n from ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describe('command-line fuzzing', () => {
  it('never an unexpected failure, never a stack trace, nothing written when refused', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const before = snapshot();
        const r = await run(args);
        expect([0, 2, 3, 4, 5], `${JSON.stringify(args)} → ${r.code}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        if (r.code !== 0) {
          expect(snapshot(), JSON.stringify(args)).toEqual(before);
          expect(r.stderr.trim().length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
