// The event feed through the real binary: every event the exporter emits validates against its
// JSON Schema in docs/events/ (checked with zod's fromJSONSchema), an HTTP receiver that fails
// twice then accepts gets every event in order, one that redirects (only 307/308 count), never
// answers or answers without end neither loses events nor hangs the exporter, an exporter
// SIGKILLed mid-stream resumes with no gap, Ctrl-C or SIGTERM stops it with the cursor saved
// (130/143), --follow picks up new sales, and a million-event-class export runs at full speed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BIN, ROOT, tempDir } from './helpers/cli.js';
import { Terminal } from './helpers/terminal.js';
import { openCore, seedGala, type CoreFixture } from './helpers/core.js';
import { sellSeats, holdSeats } from '../src/core/orders/sale.js';
import { refundOrder } from '../src/core/orders/refund.js';
import { cancelOrder, expireHolds } from '../src/core/orders/lifecycle.js';
import { checkIn, reissueTicket } from '../src/core/tickets/checkin.js';
import { addLead } from '../src/core/customers/leads.js';
import { blockSeats, releaseSeats } from '../src/core/inventory/blocks.js';
import { addStaff, disableStaff, resetPin } from '../src/core/staff/staff.js';
import { importFile } from '../src/core/data/import.js';
import { cashup } from '../src/core/reports/cashup.js';
import { cancelEvent } from '../src/core/events/cancel.js';
import { addEvent, publishEvent } from '../src/core/events/events.js';
import { setPrice } from '../src/core/events/tiers.js';
import { EVENT_DATA_SCHEMAS, eventJsonSchema } from '../src/core/sync/event-schemas.js';
import { CONSUMER_LEASE_MS, runSyncExport } from '../src/core/sync/exporter.js';
import { fileTarget } from '../src/core/sync/targets.js';

const EVENTS_DIR = path.join(ROOT, 'docs', 'events');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (an HTTP receiver in the test must keep answering). */
function start(db: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, '--db', db, ...args], { env: { PATH: process.env.PATH ?? '', HOME: path.dirname(db), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

function runSync(db: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: path.dirname(db), ...env }, maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function query<T>(db: string, sql: string, ...params: unknown[]): T {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).get(...params) as T;
  } finally {
    conn.close();
  }
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

/** Fills the outbox with `n` order.paid events, fast (test data, not a sale). */
function fillOutbox(db: string, n: number): void {
  const conn = new Database(db);
  const insert = conn.prepare("insert into outbox (id, type, subject, time, operator, data) values (?, 'order.paid', ?, '2027-01-01T12:00:00.000Z', 'ana', ?)");
  conn.transaction(() => {
    for (let i = 0; i < n; i++) {
      insert.run(crypto.randomUUID(), `order/T${i}`, JSON.stringify({ code: `T${i}`, total: 2500, paid: 2500, currency: 'EUR', method: 'cash', tickets: 1 }));
    }
  })();
  conn.close();
}

function freshDb(): string {
  const dir = tempDir('boxoffice-sync-');
  const db = path.join(dir, 'box.db');
  const r = spawnSync(process.execPath, [BIN, '--db', db, 'init'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir } });
  expect(r.status, r.stderr).toBe(0);
  return db;
}

describe('event schemas', () => {
  it('every event type the core records has a schema in docs/events, and the files match their definitions', () => {
    const recorded = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/\btype: '([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]);
      }
    };
    walk(path.join(ROOT, 'src', 'core'));
    expect(recorded.size).toBeGreaterThan(20);
    const missing = [...recorded].filter((t) => !fs.existsSync(path.join(EVENTS_DIR, `${t}.json`)));
    expect(missing, 'add them to src/core/sync/event-schemas.ts, then: npm run build && node scripts/event-schemas.mjs').toEqual([]);
    for (const type of Object.keys(EVENT_DATA_SCHEMAS)) {
      const file = JSON.parse(fs.readFileSync(path.join(EVENTS_DIR, `${type}.json`), 'utf8'));
      expect(file, `${type}.json is stale: node scripts/event-schemas.mjs`).toEqual(eventJsonSchema(type));
    }
  });
});

describe('a day of box-office events, exported', () => {
  // Staff exist in this database, so the CLI needs to know who is asking.
  const ana = { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' };
  let core: CoreFixture;
  let db: string;
  let exported: Record<string, any>[];

  beforeAll(async () => {
    core = await openCore();
    db = core.handle.file;
    const ctx = core.ctx;
    const { eventId } = await seedGala(ctx);
    await addStaff(ctx, { name: 'Ana', role: 'admin', pin: '4821' });
    await addStaff(ctx, { name: 'Carl', role: 'clerk', pin: '1111' });
    await resetPin(ctx, 'Carl', '2222');
    await disableStaff(ctx, 'Carl');
    await addStaff(ctx, { name: 'Dee', role: 'clerk', pin: '3333' });
    await addLead(ctx, { email: 'lead@example.com', name: 'Lead', source: 'flyer', event: eventId, consent: true });
    const sold = await sellSeats(ctx, {
      event: eventId,
      seats: [
        { row: 'A', number: 1 },
        { row: 'A', number: 2 },
      ],
      tier: [
        { name: 'Adult', count: 1 },
        { name: 'Child', count: 1 },
      ],
      payment: { method: 'cash', tendered: 4000 },
      email: 'lead@example.com',
    });
    await sellSeats(ctx, { event: eventId, quantity: 2, section: 'Floor', tier: [{ name: 'Adult' }], payment: { method: 'card', cardRef: 'T-1' } });
    await sellSeats(ctx, { event: eventId, seats: [{ row: 'B', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'comp' } });
    await sellSeats(ctx, { event: eventId, seats: [{ row: 'B', number: 2 }], tier: [{ name: 'Adult' }], payment: { method: 'external', ref: 'WEB-9' } });
    await refundOrder(ctx, { code: sold.code, tickets: [sold.tickets[1].code!], reason: 'changed plans' });
    await checkIn(ctx, { code: sold.tickets[0].code!, gate: 'North' });
    const extra = await sellSeats(ctx, { event: eventId, seats: [{ row: 'C', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await reissueTicket(ctx, extra.tickets[0].code!);
    const hold = await holdSeats(ctx, { event: eventId, seats: [{ row: 'D', number: 1 }], tier: [{ name: 'Adult' }] });
    await cancelOrder(ctx, hold.code, 'customer left');
    await holdSeats(ctx, { event: eventId, seats: [{ row: 'D', number: 2 }], tier: [{ name: 'Adult' }], minutes: 5 });
    core.clock.advance(10);
    await expireHolds(ctx);
    await blockSeats(ctx, {
      event: eventId,
      seats: [
        { row: 'J', number: 1 },
        { row: 'J', number: 2 },
      ],
      reason: 'house',
    });
    await releaseSeats(ctx, { event: eventId, seats: [{ row: 'J', number: 2 }] });
    const dir = path.dirname(db);
    fs.writeFileSync(path.join(dir, 'venues.csv'), 'external_id,name,city\nV-1,Main Hall,Porto\n');
    await importFile(ctx, { kind: 'venues', file: path.join(dir, 'venues.csv') });
    fs.writeFileSync(path.join(dir, 'events.csv'), 'external_id,name,venue,starts\nE-1,Encore,Main Hall,2027-04-01T20:00\n');
    await importFile(ctx, { kind: 'events', file: path.join(dir, 'events.csv') });
    fs.writeFileSync(path.join(dir, 'events.csv'), 'external_id,name,venue,starts,type\nE-1,Encore,Main Hall,2027-04-01T20:00,concert\n');
    await importFile(ctx, { kind: 'events', file: path.join(dir, 'events.csv') });
    fs.writeFileSync(path.join(dir, 'leads.csv'), 'email,name,event\nlead@example.com,Lead Two,Gala\n');
    await importFile(ctx, { kind: 'leads', file: path.join(dir, 'leads.csv') });
    await cashup(ctx, { float: '50', counted: '100' });
    await cashup(ctx, { close: true });
    // Nothing more is dated at the very instant the Z report closed (the manual clock stands still).
    core.clock.advance(1);
    const doomed = await addEvent(ctx, { name: 'Doomed', venue: 'Main Hall', starts: '2027-05-01T20:00' });
    await setPrice(ctx, String(doomed.id), { tier: 'Adult', price: '10' });
    await publishEvent(ctx, String(doomed.id));
    await sellSeats(ctx, { event: String(doomed.id), seats: [{ row: 'E', number: 5 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await cancelEvent(ctx, String(doomed.id), { refund: true, reason: 'storm' });

    const r = runSync(db, ['sync', 'export'], ana);
    expect(r.code, r.stderr).toBe(0);
    exported = lines(r.stdout);
  });
  afterAll(async () => core.close());

  it('covers the outbox in order, with stable ids and one source URN per database', () => {
    const outbox = new Database(db, { readonly: true });
    const rows = outbox.prepare('select seq, id, type, subject from outbox order by seq').all() as { seq: number; id: string; type: string; subject: string }[];
    const meta = outbox.prepare("select value from meta where key = 'database_id'").pluck().get() as string;
    outbox.close();
    expect(exported.map((e) => [Number(e.sequence), e.id, e.type, e.subject])).toEqual(rows.map((r) => [r.seq, r.id, `boxoffice.${r.type}`, r.subject]));
    expect(new Set(exported.map((e) => e.source))).toEqual(new Set([`urn:boxoffice:${meta}`]));
    // A second export: the same ids and source (the URN is created once).
    expect(lines(runSync(db, ['sync', 'export'], ana).stdout).map((e) => [e.id, e.source])).toEqual(exported.map((e) => [e.id, e.source]));
  });

  it('every emitted event validates against its JSON Schema in docs/events', () => {
    const schemas = new Map<string, z.ZodType>();
    const types = new Set<string>();
    for (const e of exported) {
      const type = String(e.type).replace(/^boxoffice\./, '');
      types.add(type);
      let schema = schemas.get(type);
      if (!schema) {
        const file = path.join(EVENTS_DIR, `${type}.json`);
        expect(fs.existsSync(file), `a schema for ${type}`).toBe(true);
        schemas.set(type, (schema = z.fromJSONSchema(JSON.parse(fs.readFileSync(file, 'utf8')))));
      }
      const result = schema.safeParse(e);
      expect(result.success, `${type} #${e.sequence}: ${result.error?.message}\n${JSON.stringify(e)}`).toBe(true);
    }
    // The day above touched most of the vocabulary; the schemas are not trivially permissive either.
    expect(types.size).toBeGreaterThanOrEqual(28);
    const paid = exported.find((e) => e.type === 'boxoffice.order.paid')!;
    expect(schemas.get('order.paid')!.safeParse({ ...paid, data: { ...paid.data, paid: -1 } }).success).toBe(false);
    expect(schemas.get('order.paid')!.safeParse({ ...paid, sequence: Number(paid.sequence) }).success).toBe(false);
    expect(schemas.get('order.paid')!.safeParse({ ...paid, specversion: '0.3' }).success).toBe(false);
  });

  it('--since starts after a sequence number; --consumer and --since together exit 2', () => {
    const after = lines(runSync(db, ['sync', 'export', '--since', String(exported.length - 3)], ana).stdout);
    expect(after.map((e) => e.sequence)).toEqual(exported.slice(-3).map((e) => e.sequence));
    expect(runSync(db, ['sync', 'export', '--since', '3', '--consumer', 'x'], ana).code).toBe(2);
    expect(runSync(db, ['sync', 'export', '--consumer', 'bad name!'], ana).code).toBe(2);
    expect(runSync(db, ['sync', 'export', '--to', 'ftp://example.com/x'], ana).code).toBe(2);
    // The feed holds customers' emails: a clerk may not read it.
    const clerk = runSync(db, ['--json', 'sync', 'export'], { BOXOFFICE_OPERATOR: 'Dee', BOXOFFICE_PIN: '3333' });
    expect(clerk.code).toBe(5);
    expect(JSON.parse(clerk.stderr).error.code).toBe('forbidden');
  });

  it('to stdout, stderr stays quiet unless it is a terminal, where a person reads the summary', async () => {
    const piped = runSync(db, ['sync', 'export'], ana);
    expect(piped.code).toBe(0);
    expect(lines(piped.stdout)).toHaveLength(exported.length);
    expect(piped.stderr).toBe('');
    const json = runSync(db, ['--json', 'sync', 'export'], ana);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    // A file target is not stdout: the summary says where the events went.
    const file = path.join(path.dirname(db), 'quiet.ndjson');
    expect(runSync(db, ['sync', 'export', '--to', file], ana).stderr).toMatch(/^Delivered \d+ events to .*quiet\.ndjson/);
    // stdout redirected to a file, stderr on a real terminal (tmux).
    const term = new Terminal(`${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --db ${JSON.stringify(db)} sync export > /dev/null`, {
      cols: 120,
      env: { ...ana, HOME: path.dirname(db) },
    });
    try {
      const screen = await term.waitFor('EXIT=');
      expect(screen).toContain(`Delivered ${exported.length} events to stdout; last sequence ${exported.length}.`);
      expect(screen).toContain('EXIT=0');
    } finally {
      term.close();
    }
  });
});

describe('HTTP delivery', () => {
  let db: string;
  let total: number;
  beforeAll(() => {
    db = freshDb();
    fillOutbox(db, 1000);
    total = 1000;
  });

  async function receiver(answer: (n: number) => number) {
    const received: string[] = [];
    const types = new Set<string>();
    let requests = 0;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = answer(++requests);
        types.add(String(req.headers['content-type']));
        if (status >= 200 && status < 300) received.push(...body.split('\n').filter(Boolean));
        res.writeHead(status).end(status < 300 ? 'ok' : 'not now');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    return { url, received, types, requests: () => requests, close: () => new Promise((r) => server.close(r)) };
  }

  it('a receiver that fails twice, then accepts, gets every event in order, and the cursor follows', async () => {
    const rx = await receiver((n) => (n <= 2 ? 503 : 200));
    const { done } = start(db, ['sync', 'export', '--consumer', 'crm', '--to', rx.url, '--batch', '100', '--backoff', '20']);
    const r = await done;
    await rx.close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/retrying: POST .* failed \(HTTP 503: not now\)/g)).toHaveLength(2);
    const seqs = rx.received.map((l) => Number(JSON.parse(l).sequence));
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(rx.requests()).toBe(2 + total / 100);
    expect([...rx.types]).toEqual(['application/x-ndjson']);
    expect(query<{ position: number; delivered: number }>(db, "select position, delivered from sync_consumers where name = 'crm'")).toEqual({ position: total, delivered: total });
    const status = JSON.parse(runSync(db, ['--json', 'sync', 'status']).stdout);
    expect(status).toEqual([expect.objectContaining({ id: 'crm', position: total, head: total, lag: 0, delivered: total })]);
  });

  it('gives up after --retries with the cursor at the last accepted batch, and resumes from there', async () => {
    const down = await receiver((n) => (n <= 3 ? 200 : 500));
    const first = await start(db, ['sync', 'export', '--consumer', 'wh', '--to', down.url, '--batch', '100', '--retries', '3', '--backoff', '10']).done;
    await down.close();
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/POST .* failed 3 times; last: HTTP 500/);
    expect(query<{ position: number }>(db, "select position from sync_consumers where name = 'wh'").position).toBe(300);
    const lag = JSON.parse(runSync(db, ['--json', 'sync', 'status', '--consumer', 'wh']).stdout);
    expect(lag[0]).toMatchObject({ position: 300, lag: total - 300 });
    const up = await receiver(() => 200);
    const second = await start(db, ['sync', 'export', '--consumer', 'wh', '--to', up.url, '--batch', '100']).done;
    await up.close();
    expect(second.code, second.stderr).toBe(0);
    const all = [...down.received, ...up.received].map((l) => Number(JSON.parse(l).sequence));
    // At-least-once, here exactly once: the refused batch was sent again, nothing skipped.
    expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});

describe('HTTP delivery: redirects, silence and floods', () => {
  let db: string;
  const total = 1000;
  beforeAll(() => {
    db = freshDb();
    fillOutbox(db, total);
  });
  const position = (consumer: string) => query<{ position: number } | undefined>(db, 'select position from sync_consumers where name = ?', consumer)?.position ?? 0;

  /** A loopback server whose handler sees each request with its whole body; `hits` counts them by method and path. */
  async function server(handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
    const hits: string[] = [];
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hits.push(`${req.method} ${req.url}`);
        handle(req, res, body);
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    return {
      base,
      hits,
      close: () => {
        srv.closeAllConnections();
        return new Promise((r) => srv.close(r));
      },
    };
  }

  it('a 302 is a failed attempt, not a delivery: the redirect target gets nothing, the cursor stays, the command fails after its retries', async () => {
    const received: string[] = [];
    const srv = await server((req, res, body) => {
      if (req.url === '/events') return void res.writeHead(302, { location: '/moved' }).end();
      // What a 302 followed by a client turns the POST into: an empty GET, answered 200.
      if (body) received.push(body);
      res.writeHead(200).end('ok');
    });
    const r = await start(db, ['sync', 'export', '--consumer', 'r302', '--to', `${srv.base}/events`, '--batch', '100', '--retries', '3', '--backoff', '10']).done;
    await srv.close();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/POST .*\/events failed 3 times; last: HTTP 302 redirect to .*\/moved/);
    expect(r.stderr).toMatch(/only 307 and 308/);
    expect(srv.hits.filter((h) => !h.startsWith('POST /events'))).toEqual([]);
    expect(received).toEqual([]);
    expect(position('r302')).toBe(0);
  });

  it('307 and 308 are followed with the same POST, to the receiver that answers 2xx; a redirect loop fails', async () => {
    const received: string[] = [];
    let port = 0;
    const srv = await server((req, res, body) => {
      if (req.url === '/events') return void res.writeHead(307, { location: '/v2/events' }).end('moved for now');
      if (req.url === '/v2/events') return void res.writeHead(308, { location: `http://127.0.0.1:${port}/v3/events` }).end();
      if (req.url === '/loop') return void res.writeHead(307, { location: '/loop' }).end();
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/x-ndjson');
      received.push(...body.split('\n').filter(Boolean));
      res.writeHead(204).end();
    });
    port = Number(new URL(srv.base).port);
    const r = await start(db, ['sync', 'export', '--consumer', 'r307', '--to', `${srv.base}/events`, '--batch', '250']).done;
    expect(r.code, r.stderr).toBe(0);
    expect(received.map((l) => Number(JSON.parse(l).sequence))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(srv.hits.slice(0, 3)).toEqual(['POST /events', 'POST /v2/events', 'POST /v3/events']);
    expect(position('r307')).toBe(total);

    const loop = await start(db, ['sync', 'export', '--consumer', 'loop', '--to', `${srv.base}/loop`, '--retries', '2', '--backoff', '10']).done;
    await srv.close();
    expect(loop.code).toBe(1);
    expect(loop.stderr).toMatch(/failed 2 times; last: too many redirects/);
    expect(position('loop')).toBe(0);
  });

  it('a receiver that never answers: each attempt ends at --timeout, then the command fails with the cursor in place', async () => {
    const srv = await server(() => {
      // Takes the POST and says nothing, for ever.
    });
    const r = await start(db, ['sync', 'export', '--consumer', 'silent', '--to', `${srv.base}/events`, '--retries', '2', '--backoff', '10', '--timeout', '300']).done;
    await srv.close();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/POST .* failed 2 times; last: no answer within 0\.3 s/);
    expect(srv.hits).toEqual(['POST /events', 'POST /events']);
    expect(position('silent')).toBe(0);
  });

  it('--timeout bounds a whole attempt, redirects included: slow 307s add up to a failed attempt', async () => {
    // Each hop answers within the timeout, three of them do not: the receiver at the end is never reached.
    const srv = await server((req, res) => {
      const hop = Number(/^\/hop(\d)$/.exec(req.url ?? '')?.[1] ?? 9);
      if (hop < 3) return void setTimeout(() => res.writeHead(307, { location: `/hop${hop + 1}` }).end(), 250);
      res.writeHead(204).end();
    });
    const r = await start(db, ['sync', 'export', '--consumer', 'slow-hops', '--to', `${srv.base}/hop0`, '--retries', '1', '--timeout', '600']).done;
    await srv.close();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/no answer within 0\.6 s/);
    expect(srv.hits).not.toContain('POST /hop3');
    expect(position('slow-hops')).toBe(0);
  });

  it('Ctrl-C ends a --follow export waiting on a silent receiver (retrying for ever): exit 130, the cursor in place', async () => {
    const srv = await server(() => {});
    const run = start(db, ['sync', 'export', '--consumer', 'waiting', '--follow', '--to', `${srv.base}/events`]);
    for (let i = 0; i < 400 && srv.hits.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(srv.hits).toEqual(['POST /events']);
    run.child.kill('SIGINT');
    const r = await run.done;
    await srv.close();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/Delivered 0 events to http:.*; consumer waiting is at sequence 0 \(stopped by SIGINT\)/);
    expect(position('waiting')).toBe(0);
  });

  it('an endless answer is read only as far as its first few KiB: the exporter hangs up and goes on', async () => {
    // Written until the exporter closes the connection; far more than this would mean it reads the whole answer.
    const limit = 64 << 20;
    let overflowed = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const srv = await server((req, res) => {
      const status = req.url === '/refuse' ? 500 : 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      let sent = 0;
      let open = true;
      res.on('close', () => (open = false));
      const pump = () => {
        while (open) {
          if (sent > limit) {
            overflowed = true;
            return void res.destroy();
          }
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const refused = await start(db, ['sync', 'export', '--consumer', 'flood', '--to', `${srv.base}/refuse`, '--retries', '2', '--backoff', '10']).done;
    expect(overflowed).toBe(false);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/failed 2 times; last: HTTP 500: x{20}/);
    expect(refused.stderr.length).toBeLessThan(2000);
    expect(position('flood')).toBe(0);
    // A 2xx status is the receipt: the body after it does not matter.
    const accepted = await start(db, ['sync', 'export', '--consumer', 'flood', '--to', `${srv.base}/accept`, '--batch', '500']).done;
    await srv.close();
    expect(overflowed).toBe(false);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(position('flood')).toBe(total);
  });
});

describe('stopped by a signal', () => {
  let db: string;
  const total = 200_000;
  beforeAll(() => {
    db = freshDb();
    fillOutbox(db, total);
  }, 60_000);

  /** Sends `signal` once the export has written `lines` lines to the file (or stdout). */
  async function stopWhen(child: ReturnType<typeof start>['child'], written: () => number, signal: NodeJS.Signals) {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (written() > 2000) {
          clearInterval(timer);
          child.kill(signal);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error('the exporter finished before it could be stopped'));
        }
      }, 5);
    });
  }

  it('Ctrl-C stops a one-shot export to a file after the batch in flight: exit 130, the cursor at the last line written, no torn line', { timeout: 120_000 }, async () => {
    const out = path.join(path.dirname(db), 'int.ndjson');
    const run = start(db, ['sync', 'export', '--consumer', 'int', '--to', out, '--batch', '500']);
    await stopWhen(run.child, () => (fs.existsSync(out) ? fs.statSync(out).size / 400 : 0), 'SIGINT');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const seqs = lines(text).map((e) => Number(e.sequence));
    expect(seqs.length).toBeLessThan(total);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(query<{ position: number }>(db, "select position from sync_consumers where name = 'int'").position).toBe(seqs.length);
    expect(r.stderr).toMatch(new RegExp(`Delivered ${seqs.length} events to .*int\\.ndjson; consumer int is at sequence ${seqs.length} \\(stopped by SIGINT\\)`));
  });

  it('SIGTERM stops a one-shot export to stdout the same way: exit 143, the cursor at the last line read', { timeout: 120_000 }, async () => {
    const run = start(db, ['sync', 'export', '--consumer', 'term', '--batch', '500']);
    let got = 0;
    run.child.stdout.on('data', (d: Buffer) => (got += d.length));
    await stopWhen(run.child, () => got / 400, 'SIGTERM');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(143);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const n = lines(r.stdout).length;
    expect(n).toBeLessThan(total);
    expect(query<{ position: number }>(db, "select position from sync_consumers where name = 'term'").position).toBe(n);
    // Stopped, it says so even though stderr is not a terminal.
    expect(r.stderr).toMatch(new RegExp(`consumer term is at sequence ${n} \\(stopped by SIGTERM\\)`));
  });
});

describe('crash and resume', () => {
  // Under the full suite's load this ran past 60 s with 300,000 events; 200,000 prove the same in
  // about half the time, and the limit leaves room for a loaded machine.
  it('an exporter killed mid-stream (SIGKILL) resumes with no gap', { timeout: 180_000 }, async () => {
    const db = freshDb();
    const total = 200_000;
    fillOutbox(db, total);
    const out = path.join(path.dirname(db), 'feed.ndjson');
    const { child, done } = start(db, ['sync', 'export', '--consumer', 'wh', '--to', out, '--batch', '200']);
    // Kill it once a good part (but not all) is written: past the exporter's first cursor save
    // (every 50,000 events, or every second), with well over half the feed still to go.
    const lineBytes = 385; // one order.paid line of this feed, give or take
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const size = fs.existsSync(out) ? fs.statSync(out).size : 0;
        if (size > 60_000 * lineBytes) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error('the exporter finished before it could be killed'));
        }
      }, 5);
    });
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const cursor = query<{ position: number }>(db, "select position from sync_consumers where name = 'wh'").position;
    const before = fs.readFileSync(out, 'utf8');
    const complete = before.slice(0, before.lastIndexOf('\n') + 1);
    const written = lines(complete).map((e) => Number(e.sequence));
    expect(cursor).toBeGreaterThan(0);
    expect(cursor).toBeLessThan(total);
    // The cursor never runs ahead of what reached the file.
    expect(written[written.length - 1]).toBeGreaterThanOrEqual(cursor);

    const resumed = runSync(db, ['sync', 'export', '--consumer', 'wh', '--to', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const seqs = lines(fs.readFileSync(out, 'utf8')).map((e) => Number(e.sequence));
    // In order, each event the next one or a replay of an earlier one: never a jump over one.
    const jump = seqs.findIndex((seq, i) => i > 0 && seq > seqs[i - 1] + 1);
    expect(jump, jump > 0 ? `line ${jump + 1}: ${seqs[jump - 1]} then ${seqs[jump]}` : '').toBe(-1);
    expect(new Set(seqs).size).toBe(total);
    expect(seqs[seqs.length - 1]).toBe(total);
    // Replays are only the stretch between the saved cursor and the kill.
    expect(seqs.length - total).toBe(written.length - cursor);
    expect(query<{ position: number }>(db, "select position from sync_consumers where name = 'wh'").position).toBe(total);
  });
});

describe('one exporter per consumer', () => {
  it('a second export of a consumer being exported exits 4 naming the first; other consumers are free; a stopped or killed exporter frees it', async () => {
    const db = freshDb();
    fillOutbox(db, 10);
    const dir = path.dirname(db);
    const count = (file: string) => (fs.existsSync(file) ? lines(fs.readFileSync(file, 'utf8')).length : 0);
    const waitFor = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pred()).toBe(true);
    };
    const exporter = () => JSON.parse(runSync(db, ['--json', 'sync', 'status', '--consumer', 'crm']).stdout)[0].exporter as string | null;

    const first = start(db, ['sync', 'export', '--consumer', 'crm', '--follow', '--interval', '50', '--to', path.join(dir, 'first.ndjson')]);
    onTestFinished(() => void first.child.kill('SIGKILL'));
    await waitFor(() => count(path.join(dir, 'first.ndjson')) === 10);
    const second = runSync(db, ['--json', 'sync', 'export', '--consumer', 'crm', '--to', path.join(dir, 'second.ndjson')]);
    expect(second.code).toBe(4);
    // Refused, it leaves the file alone, even one whose last line is still being written.
    fs.writeFileSync(path.join(dir, 'busy.ndjson'), '{"complete":true}\n{"half a li');
    expect(runSync(db, ['sync', 'export', '--consumer', 'crm', '--to', path.join(dir, 'busy.ndjson')]).code).toBe(4);
    expect(fs.readFileSync(path.join(dir, 'busy.ndjson'), 'utf8')).toBe('{"complete":true}\n{"half a li');
    const error = JSON.parse(second.stderr).error;
    expect(error.code).toBe('consumer_busy');
    expect(error.message).toContain(`consumer crm is being exported by another process (pid ${first.child.pid} on `);
    expect(count(path.join(dir, 'second.ndjson'))).toBe(0);
    expect(exporter()).toContain(`pid ${first.child.pid} on `);
    // Another consumer has its own cursor and its own exporter.
    expect(runSync(db, ['sync', 'export', '--consumer', 'warehouse', '--to', path.join(dir, 'other.ndjson')]).code).toBe(0);
    expect(count(path.join(dir, 'other.ndjson'))).toBe(10);

    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(143);
    expect(exporter()).toBeNull();
    fillOutbox(db, 5);
    const after = runSync(db, ['sync', 'export', '--consumer', 'crm', '--to', path.join(dir, 'second.ndjson')]);
    expect(after.code, after.stderr).toBe(0);
    expect(count(path.join(dir, 'second.ndjson'))).toBe(5);

    // A killed exporter cannot let go: on the same machine its process is seen to be gone.
    const killed = start(db, ['sync', 'export', '--consumer', 'crm', '--follow', '--interval', '50', '--to', path.join(dir, 'killed.ndjson')]);
    onTestFinished(() => void killed.child.kill('SIGKILL'));
    await waitFor(() => exporter()?.includes(`pid ${killed.child.pid} on `) ?? false);
    killed.child.kill('SIGKILL');
    await killed.done;
    const resumed = runSync(db, ['sync', 'export', '--consumer', 'crm', '--to', path.join(dir, 'resumed.ndjson')]);
    expect(resumed.code, resumed.stderr).toBe(0);
  });

  it('an exporter on another machine holds its consumer until its claim lapses', async () => {
    const core = await openCore();
    try {
      const out = path.join(path.dirname(core.handle.file), 'feed.ndjson');
      const now = core.clock.now().toISOString();
      // Leases run on the wall clock (the box office's own clock may be set elsewhere).
      const until = new Date(Date.now() + CONSUMER_LEASE_MS).toISOString();
      await core.handle.db
        .insertInto('sync_consumers')
        .values({ name: 'crm', position: 0, delivered: 0, created_at: now, updated_at: now, lease_owner: 'pid 4242 on till-2 (0badcafe)', lease_until: until })
        .execute();
      const target = fileTarget(out);
      await expect(runSyncExport(core.ctx, { consumer: 'crm', target })).rejects.toMatchObject({ code: 'consumer_busy', details: { owner: 'pid 4242 on till-2 (0badcafe)', until } });
      core.clock.advance(24 * 60);
      await expect(runSyncExport(core.ctx, { consumer: 'crm', target })).rejects.toMatchObject({ code: 'consumer_busy' });
      // That exporter stopped renewing a minute ago: its claim has lapsed.
      await core.handle.db
        .updateTable('sync_consumers')
        .set({ lease_until: new Date(Date.now() - 1000).toISOString() })
        .where('name', '=', 'crm')
        .execute();
      await expect(runSyncExport(core.ctx, { consumer: 'crm', target })).resolves.toMatchObject({ consumer: 'crm', stopped: 'caught_up' });
      await target.close();
      // Finished, it lets go.
      const row = await core.handle.db.selectFrom('sync_consumers').select(['lease_owner', 'lease_until']).where('name', '=', 'crm').executeTakeFirstOrThrow();
      expect(row).toEqual({ lease_owner: null, lease_until: null });
    } finally {
      await core.close();
    }
  });
});

describe('--follow', () => {
  it('keeps streaming new events until stopped, and keeps its place', async () => {
    const core = await openCore();
    try {
      const db = core.handle.file;
      const { eventId } = await seedGala(core.ctx);
      const out = path.join(path.dirname(db), 'live.ndjson');
      const { child, done } = start(db, ['sync', 'export', '--consumer', 'live', '--follow', '--interval', '50', '--to', out]);
      const waitFor = async (pred: () => boolean) => {
        for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
        expect(pred()).toBe(true);
      };
      const count = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length : 0);
      const head = () => query<{ m: number }>(db, 'select max(seq) m from outbox').m;
      await waitFor(() => count() === head());
      const sale = await sellSeats(core.ctx, { event: eventId, seats: [{ row: 'F', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
      await waitFor(() => count() === head());
      const tail = lines(fs.readFileSync(out, 'utf8')).slice(-3);
      expect(tail.map((e) => e.type)).toEqual(expect.arrayContaining(['boxoffice.payment.created', 'boxoffice.order.paid']));
      expect(tail.find((e) => e.type === 'boxoffice.order.paid')!.data.code).toBe(sale.code);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/consumer live is at sequence \d+ \(stopped by SIGINT\)/);
      expect(query<{ position: number }>(db, "select position from sync_consumers where name = 'live'").position).toBe(head());
    } finally {
      await core.close();
    }
  });
});

// How fast is measured by `npm run bench` (docs/benchmarks.md), never asserted here.
describe('a large outbox', () => {
  it('streams to a file whole, cursor included', async () => {
    const total = 200_000;
    const core = await openCore();
    try {
      fillOutbox(core.handle.file, total);
      const out = path.join(path.dirname(core.handle.file), 'big.ndjson');
      const target = fileTarget(out);
      const result = await runSyncExport(core.ctx, { consumer: 'bulk', target });
      await target.close();
      expect(result).toMatchObject({ delivered: total, position: total });
      expect(fs.readFileSync(out, 'utf8').split('\n').length - 1).toBe(total);
    } finally {
      await core.close();
    }
  });

  it('the command line does the same', () => {
    const db = freshDb();
    const total = 100_000;
    fillOutbox(db, total);
    const out = path.join(path.dirname(db), 'big.ndjson');
    const r = runSync(db, ['sync', 'export', '--consumer', 'bulk', '--to', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Delivered 100000 events to .*big\.ndjson; consumer bulk is at sequence 100000\./);
    expect(fs.readFileSync(out, 'utf8').split('\n').length - 1).toBe(total);
  });
});

describe('sync export --to FILE appends only to a regular file of its own', () => {
  it('refuses a symbolic link, a FIFO and a file whose last line is not the feed’s, leaving them as they were', () => {
    const db = freshDb();
    fillOutbox(db, 3);
    const dir = path.dirname(db);
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'precious data without a trailing newline', { mode: 0o644 });
    fs.symlinkSync(notes, path.join(dir, 'link.txt'));
    const viaLink = runSync(db, ['sync', 'export', '--to', path.join(dir, 'link.txt')]);
    expect(viaLink.code, viaLink.stderr).toBe(2);
    expect(viaLink.stderr).toContain('symbolic link');
    const direct = runSync(db, ['sync', 'export', '--to', notes]);
    expect(direct.code, direct.stderr).toBe(2);
    expect(direct.stderr).toContain('does not end with a whole line of the feed');
    expect(fs.readFileSync(notes, 'utf8')).toBe('precious data without a trailing newline');
    const fifo = path.join(dir, 'feed.fifo');
    execFileSync('mkfifo', [fifo]);
    const intoFifo = runSync(db, ['sync', 'export', '--to', fifo]);
    expect(intoFifo.code, intoFifo.stderr).toBe(2);
    expect(intoFifo.stderr).toContain('not a regular file');
  });

  it('creates the file private, and cuts a torn last feed line before sending that batch again', () => {
    const db = freshDb();
    fillOutbox(db, 3);
    const out = path.join(path.dirname(db), 'feed.ndjson');
    fs.writeFileSync(out, '{"specversion":"1.0","id":"torn', { mode: 0o600 });
    const r = runSync(db, ['sync', 'export', '--consumer', 'c', '--to', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const fresh = path.join(path.dirname(db), 'new.ndjson');
    expect(runSync(db, ['sync', 'export', '--since', '0', '--to', fresh]).code).toBe(0);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
  });
});
