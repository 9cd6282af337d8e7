// A scripted evening at the box office, run through the real binary, and a transcript of what
// every read-only command then prints: the same steps (the demo, a seat map imported with every
// kind of seat, sales, a hold, a block, a refund, a check-in, leads), then every read piped, with
// --json and at a terminal, and refusals with their exit codes. Only what must differ between
// runs is masked: the database's name, order and ticket codes (random), ids made from the real
// clock (UUIDv7) and the seconds of times (each step runs at its own fixed BOXOFFICE_NOW, on a
// clock that then runs on at the real pace).
//
// test/pg-same-output.test.ts compares the transcript of SQLite with PostgreSQL's;
// test/cli-golden.test.ts compares SQLite's with the recorded one in test/golden/cli/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BIN, sandbox } from './cli.js';

// A seat map with what `seats` must write alike: labels and zones that JSON escapes, coordinates
// whole, fractional, negative, huge and absent, flags, several labels under one rank.
const SEATMAP = [
  'section,row,seat,x,y,zone,accessible,obstructed',
  'Box,A,1,0.1,2,"Royal ""Box""",yes,no',
  'Box,A,2,1.5,-3,,no,yes',
  'Box,A,3,2,2,🎭 Stage\\Left,no,no',
  'Box,B,1,1000000000000000000000,0.3333333333333333,,no,no',
  'Box,B,2,,,,no,no',
  'Box,C,7,3,4,,no,no',
  'Box,C,3,-0.5,9007199254740992,,yes,yes',
  'Gallery,1,1,,,,no,no',
  'Gallery,1,2,,,,no,no',
  'Gallery,2,1,,,,no,no',
  'Gallery,2,2,,,box 2,no,no',
  'Gallery,2,3,,,Box1,no,no',
  'Gallery,2,4,,,aisle,no,no',
].join('\n');

const LEADS = ['email,name,source', 'dee@example.com,Dee,web', 'ana@example.com,Ana,flyer', 'eve@example.com,Eve,'].join('\n');

function spawnAsync(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `work` over `items`, `width` at a time, the results in the items' order. */
async function pooled<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/**
 * `order refund` rehearses the refund (a rolled-back transaction) before making it. SQLite rolls
 * its id counters back with it; PostgreSQL's identity columns and sequences never go back, so
 * the refund's payment id and its feed entries' numbers are higher there by what the rehearsal
 * took. Those numbers, and only they, are masked (the refund is the last step, so nothing after
 * it is shifted). The feed's own numbering is being made gap-free (docs/postgres.md, "The feed").
 */
function maskRehearsal(text: string, refund: { paymentId: number; seqs: number[] } | undefined): string {
  if (!refund) return text;
  const id = refund.paymentId;
  let out = text
    .split(`"id":${id},"kind":"refund"`)
    .join('"id":<refund>,"kind":"refund"')
    .replace(new RegExp(`\\{"id":${id},("order":"[^"]*","method")`, 'g'), '{"id":<refund>,$1')
    .replace(new RegExp(`^${id},refund,`, 'gm'), '<refund>,refund,');
  for (const [i, seq] of refund.seqs.entries()) {
    out = out
      .split(`"seq":${seq},`)
      .join(`"seq":<refund ${i + 1}>,`)
      .replace(new RegExp(`^${seq}\t`, 'gm'), `<refund ${i + 1}>\t`);
  }
  return out;
}

/** Each step runs at its own minute; the clock runs on from there for the step's length. */
const at = (minute: number) => `2027-01-10T10:${String(minute).padStart(2, '0')}:00Z`;

export interface Transcript {
  /** Order and ticket codes in the order the steps made them: the same place on both databases. */
  codes: string[];
  run: (args: string[], options?: { json?: boolean }) => { code: number; stdout: string; stderr: string; json: any };
  /** The same, not waiting: the reads run a few at a time. */
  read: (args: string[], options?: { json?: boolean }) => Promise<{ code: number | null; stdout: string; stderr: string }>;
  terminal: (args: string) => Promise<string>;
  /** The refund's payment id and feed entries: see maskRehearsal. */
  refund?: { paymentId: number; seqs: number[] };
  /** What each step printed (--json), unmasked. */
  writes: string[];
  shown: string;
  dir: string;
}

export function boxOn(target: string | undefined): Transcript {
  const box = sandbox(target ? { BOXOFFICE_DB: target } : {});
  const db = target ?? box.db;
  let minute = 0;
  const codes: string[] = [];
  const learn = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(learn);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'code' && typeof v === 'string' && /^[0-9A-Z]{6,}$/.test(v) && !codes.includes(v)) codes.push(v);
        else learn(v);
      }
    }
  };
  return {
    codes,
    writes: [],
    dir: box.dir,
    shown: db,
    run(args, options = {}) {
      const r = box.run(options.json ? ['--json', ...args] : args, { BOXOFFICE_NOW: at(minute) });
      learn(r.json);
      return r;
    },
    read(args, options = {}) {
      return spawnAsync(process.execPath, [BIN, ...(options.json ? ['--json', ...args] : args)], { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: db, BOXOFFICE_NOW: at(minute) });
    },
    async terminal(args) {
      const env = { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: db, TERM: 'xterm', BOXOFFICE_NOW: at(minute) };
      const r = await spawnAsync('script', ['-qec', `stty cols 100; "${process.execPath}" "${BIN}" ${args}`, '/dev/null'], env);
      return `${r.stdout}(exit ${r.code})`;
    },
    // Steps move the clock; reads all run at the last step's minute.
    get next() {
      return minute++;
    },
  } as Transcript & { next: number };
}

/** Writes: the same on both, each checked to succeed. */
export function seed(t: Transcript & { next: number }): void {
  const step = (args: string[]) => {
    void t.next;
    const r = t.run(args, { json: true });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    t.writes.push(`$ --json ${args.join(' ')}\n(exit ${r.code})\n${r.stdout}${r.stderr ? `stderr: ${r.stderr}` : ''}`);
    return r.json;
  };
  fs.writeFileSync(path.join(t.dir, 'seatmap.csv'), SEATMAP);
  fs.writeFileSync(path.join(t.dir, 'leads.csv'), LEADS);
  step(['init', '--demo']);
  step(['import', 'seatmap', path.join(t.dir, 'seatmap.csv'), '--venue', 'Riverside Theatre']);
  // Zones that byte order and language order sort differently (Balcony Box1 aisle box 2).
  for (const [zone, price] of [
    ['box 2', '30'],
    ['Box1', '31'],
    ['aisle', '19'],
  ])
    step(['event', 'price', 'Hamlet', '--tier', 'Adult', '--zone', zone, '--price', price]);
  const first = step(['sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--tier', 'Adult', '--pay', 'cash', '--tendered', '60']);
  step(['sell', 'Hamlet', '--best', '3', '--tier', 'Adult=2,Child=1', '--pay', 'card', '--card-ref', '8841', '--email', 'ana@example.com', '--name', 'Ana']);
  step(['sell', 'Late Jazz', '--quantity', '2', '--tier', 'Standing', '--pay', 'external', '--ref', 'W1', '--email', 'bo@example.com']);
  step(['hold', 'Hamlet', '--seats', 'Balcony:B-5,Balcony:B-6', '--tier', 'Adult', '--email', 'cy@example.com']);
  step(['hold', 'Late Jazz', '--quantity', '3', '--tier', 'Standing', '--minutes', '1']);
  step(['sell', 'Hamlet', '--seats', 'Box:A-1,Box:C-3,Box:B-1', '--tier', 'Concession', '--pay', 'cash', '--email', 'ana@example.com']);
  step(['seats', 'block', 'Hamlet', '--seats', 'Stalls:J-1,Box:A-2', '--reason', 'camera']);
  step(['checkin', first.tickets[0].code, '--gate', 'North']);
  step(['import', 'leads', path.join(t.dir, 'leads.csv')]);
  step(['lead', 'add', 'fay@example.com', '--source', 'web']);
  const refunded = step(['order', 'refund', first.code, '--amount', '5.00', '--reason', 'late start', '--yes']);
  // The refund's feed entries: the newest two.
  const log = t.run(['log', '--limit', '2'], { json: true }).json as { seq: number; type: string }[];
  expect(log.map((e) => e.type)).toEqual(['refund.created', 'order.refunded']);
  t.refund = {
    paymentId: (refunded.payments as { id: number; kind: string }[]).find((p) => p.kind === 'refund')!.id,
    seqs: log.map((e) => e.seq),
  };
  // The one-minute hold has lapsed by the reads' minute.
  void t.next;
  void t.next;
}

/** Every read-only command, piped and with --json, and some at a terminal; masked. */
export async function readAll(t: Transcript): Promise<string> {
  const orders = t.codes.filter((c) => c.length === 6);
  const tickets = t.codes.filter((c) => c.length > 6);
  const reads: string[][] = [
    ['event', 'list'],
    ['event', 'list', '--status', 'draft'],
    ['event', 'show', 'Hamlet'],
    ['event', 'show', 'Late Jazz'],
    ['venue', 'list'],
    ['venue', 'show', 'Riverside Theatre'],
    ['venue', 'show', 'The Cellar Club'],
    ['seats', 'Hamlet'],
    ['seats', 'Hamlet', '--section', 'Box'],
    ['seats', 'Late Jazz'],
    ['order', 'list'],
    ...orders.map((c) => ['order', 'show', c]),
    ['order', 'find', 'ana'],
    ['tickets', 'show', tickets[0]],
    ['customer', 'list'],
    ['customer', 'show', 'ana@example.com'],
    ['lead', 'list'],
    ['report', 'sales'],
    ['report', 'sales', '--event', 'Hamlet', '--operator', 'single-user'],
    ['report', 'cashup'],
    ['report', 'zreports'],
    ['report', 'leads'],
    ['log'],
    ['log', '--event', 'Hamlet', '--type', 'order'],
    ...['orders', 'tickets', 'customers', 'leads', 'sales'].map((k) => ['export', k]),
    ['export', 'orders', '--event', 'Hamlet'],
  ];
  const piped = await pooled(
    reads.flatMap((args) => [false, true].map((json) => ({ args, json }))),
    4,
    async ({ args, json }) => {
      const r = await t.read(args, { json });
      return `$ ${json ? '--json ' : ''}${args.join(' ')}\n(exit ${r.code})\n${r.stdout}${r.stderr ? `stderr: ${r.stderr}` : ''}`;
    },
  );
  // Refusals, which change nothing: their messages and exit codes.
  const refusals: string[][] = [
    ['sell', 'Hamlet', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash'],
    ['order', 'show', 'NOSUCH'],
    ['venue', 'show', 'Nowhere'],
    ['seats', 'Hamlet', '--section', 'Nowhere'],
    ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash'],
    ['sell', 'Hamlet', '--best', '2', '--tier', 'Nobody', '--pay', 'cash'],
    ['sell', 'Hamlet', '--best', '2', '--tier', 'Adult', '--pay', 'cash', '--tendered', '1.00'],
    ['sell', 'Hamlet', '--best', '0', '--tier', 'Adult', '--pay', 'cash'],
    ['sell', 'Late Jazz', '--quantity', '9999', '--tier', 'Standing', '--pay', 'cash'],
    ['checkin', '<ticket 1>', '--gate', 'North'],
    ['order', 'refund', '<order 1>', '--amount', '999.00', '--reason', 'x', '--yes'],
    ['event', 'add', 'X', '--venue', 'Nowhere', '--starts', '2027-03-01T20:00'],
    ['event', 'add', 'X', '--venue', 'Riverside Theatre', '--starts', 'tomorrow'],
    ['staff', 'pin', 'Nobody', '--pin', '1234'],
  ];
  const unmask = (args: string[]) => args.map((a) => a.replace(/^<order (\d+)>$/, (_, n) => orders[n - 1]).replace(/^<ticket (\d+)>$/, (_, n) => tickets[n - 1]));
  const refused = await pooled(
    refusals.flatMap((args) => [false, true].map((json) => ({ args, json }))),
    4,
    async ({ args, json }) => {
      const r = await t.read(unmask(args), { json });
      return `$ ${json ? '--json ' : ''}${args.join(' ')}\n(refused: exit ${r.code})\n${r.stdout}stderr: ${r.stderr}`;
    },
  );
  const terminal = await pooled(
    ['seats Hamlet', 'seats Hamlet --json', '"seats" "Late Jazz"', 'event list', `order show ${orders[1]}`],
    4,
    async (args) => `$ (terminal) ${args}\n${await t.terminal(args)}`,
  );
  return masked(t, [...piped, ...refused, ...terminal].join('\n'));
}

/** `text` with what differs from run to run masked (see the top of this file). */
export function masked(t: Transcript, text: string): string {
  const orders = t.codes.filter((c) => c.length === 6);
  const tickets = t.codes.filter((c) => c.length > 6);
  text = maskRehearsal(text, t.refund);
  const masks: [string, string][] = [
    [t.shown, '<database>'],
    [t.dir, '<dir>'],
    ...orders.map((c, i): [string, string] => [c, `<order ${i + 1}>`]),
    ...tickets.map((c, i): [string, string] => [c, `<ticket ${i + 1}>`]),
  ];
  for (const [from, to] of masks) text = text.split(from).join(to);
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>').replace(/(T\d\d:\d\d):\d\d(\.\d+)?/g, '$1:<s>');
}
