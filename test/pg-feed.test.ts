// The feed on PostgreSQL (docs/postgres.md, "The feed"): six processes write events at once, with
// transactions that commit out of the order they wrote in and some that roll back, while a real
// `sync export --follow` streams the feed to a file. The follower must end with every committed
// event exactly once, no rolled-back one, and `sequence` consecutive from 1: a consumer never
// misses an event, and the numbers have no gaps.
//
// Runs the compiled code (npm run build first): writers are test/workers/feed-writer.mjs.
import { cliOnFreshDatabase } from './helpers/pg-seed.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, startNode } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote } from './helpers/pg.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workers', 'feed-writer.mjs');
const WRITERS = 6;
const TRANSACTIONS = 60;
const BASE_SEED = Number(process.env.RACE_SEED ?? Date.now() % 1_000_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const readLines = (file: string) =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => JSON.parse(l) as { id: string; sequence: string; data: { tag?: string } })
    : [];

describe.runIf(hasPostgres)(`the feed on PostgreSQL${postgresNote}`, () => {
  it('a transaction left open in another database of the server does not hold the feed back', async () => {
    const database = await freshPostgresDatabase();
    const other = await freshPostgresDatabase();
    cleanups.push(
      () => database.drop(),
      () => other.drop(),
    );
    const box = sandbox({ BOXOFFICE_DB: database.url });
    cleanups.push(() => box.cleanup());
    expect(box.run(['init', '--demo']).code).toBe(0);
    // Another application's session on the same server, inside a transaction that has an id.
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: other.url });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query('begin');
    await client.query('select pg_current_xact_id()');
    const sale = box.run(['sell', 'Hamlet', '--best', '2', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(sale.code, sale.stderr).toBe(0);
    // The sale's events are numbered and exported while that transaction is still open.
    const feed = path.join(box.dir, 'feed.jsonl');
    const exported = box.run(['sync', 'export', '--to', feed]);
    expect(exported.code, exported.stderr).toBe(0);
    const codes = readLines(feed).map((l) => (l.data as { code?: string }).code);
    expect(codes).toContain(sale.json.code);
    await client.query('rollback');
  });

  it(`${WRITERS} writer processes and a --follow exporter: every committed event exactly once, sequence consecutive`, async () => {
    const { database, box } = await cliOnFreshDatabase(cleanups);
    const env = { HOME: box.dir, BOXOFFICE_DB: database.url };
    const out = path.join(box.dir, 'feed.ndjson');
    const context = `RACE_SEED=${BASE_SEED}`;

    const follower = startNode([BIN, 'sync', 'export', '--consumer', 'follower', '--follow', '--interval', '10', '--to', out], env);
    cleanups.push(() => void follower.child.kill('SIGKILL'));
    const writers = Array.from({ length: WRITERS }, (_, i) => startNode([WRITER, JSON.stringify({ db: database.url, worker: `w${i}`, transactions: TRANSACTIONS, seed: BASE_SEED + i })], env));
    const exits = await Promise.all(writers.map((w) => w.done));
    exits.forEach((e, i) => expect(e.code, `${context}: writer w${i}: ${e.stderr}`).toBe(0));
    const reports = exits.map((e) => JSON.parse(e.stdout) as { committed: string[]; rolledBack: number });
    const committed = reports.flatMap((r) => r.committed).sort();
    expect(
      reports.reduce((n, r) => n + r.rolledBack, 0),
      `${context}: no transaction rolled back`,
    ).toBeGreaterThan(0);

    // The writers are done: the feed's head is final. Wait for the follower to reach it, then stop it.
    const status = box.run(['--json', 'sync', 'status', '--consumer', 'follower']);
    expect(status.code, status.stderr).toBe(0);
    const head = Number(status.json[0].head);
    expect(head, context).toBeGreaterThan(0);
    for (;;) {
      const seen = readLines(out);
      if (seen.length && Number(seen[seen.length - 1].sequence) >= head) break;
      const early = await Promise.race([follower.done, new Promise((r) => setTimeout(() => r(null), 20))]);
      if (early) throw new Error(`the follower stopped early: ${JSON.stringify(early)}`);
    }
    follower.child.kill('SIGINT');
    const stopped = await follower.done;
    expect(stopped.code, stopped.stderr).toBe(130);

    const lines = readLines(out);
    const tags = lines
      .map((l) => l.data.tag)
      .filter((t): t is string => t !== undefined)
      .sort();
    const delivered = new Set(tags);
    // Where `sequence` is not consecutive from 1 (a gap: a number burnt by a rollback or not yet
    // given), and which committed events never reached the follower (its cursor passed them).
    const breaks = lines.map((l, i) => ({ at: i + 1, sequence: Number(l.sequence) })).filter((b) => b.sequence !== b.at);
    const missed = committed.filter((t) => !delivered.has(t));
    expect({ breaks: breaks.length, firstBreak: breaks[0], missed: missed.length, firstMissed: missed.slice(0, 5) }, `${context}: of ${committed.length} committed events`).toEqual({
      breaks: 0,
      firstBreak: undefined,
      missed: 0,
      firstMissed: [],
    });
    // Every event once, and exactly the committed ones (none rolled back).
    expect(new Set(lines.map((l) => l.id)).size, context).toBe(lines.length);
    expect(tags, context).toEqual(committed);
    // In commit order: a writer's transactions ran one after another, so the feed has each
    // writer's events in the order it committed them, and one transaction's events together.
    for (const [i, report] of reports.entries()) {
      expect(
        lines.map((l) => l.data.tag).filter((t) => t?.startsWith(`w${i}/`)),
        `${context}: w${i}`,
      ).toEqual(report.committed);
    }
    const transactionOf = (tag: string | undefined) => tag?.split('/').slice(0, 2).join('/');
    const runs = lines.map((l) => transactionOf(l.data.tag)).filter((t, i, all) => t !== all[i - 1]);
    expect(runs.length, `${context}: one transaction's events apart`).toBe(new Set(runs).size);
    const [{ n }] = await database.query<{ n: string }>('select count(*) as n from outbox');
    expect(lines.length, context).toBe(Number(n));
  }, 180_000);
});
