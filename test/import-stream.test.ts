// Imports stream: a file's records are read as they are asked for, leads are planned a batch at
// a time while the file is still being read, and the writes are made one after another in the
// transaction, so memory does not grow with the file (docs/benchmarks.md has the figures). These
// tests check the shape, not a memory figure: each fails if an importer goes back to reading the
// whole file, or planning all its rows, before it does anything else. Standard input (`-`), line
// numbers in CRLF files and JSON read in pieces are checked here too.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { BIN, sandbox, tempDir } from './helpers/cli.js';
import { meanwhile, openCore, type CoreFixture, sqliteOf } from './helpers/core.js';
import { inProcess } from './helpers/in-process.js';
import { Terminal } from './helpers/terminal.js';
import { importFile, IssueList } from '../src/core/data/import.js';
import { planLeads, type Row } from '../src/core/data/import-plans.js';
import { Spool } from '../src/core/data/import-spool.js';
import { JsonArraySplitter, openSource, type ImportIssue } from '../src/core/data/source.js';
import type { LeadRow } from '../src/core/data/import-formats.js';

const dir = tempDir('boxoffice-import-stream-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function leadsCsv(name: string, rows: number, last?: string): string {
  const file = path.join(dir, name);
  const lines = ['external_id,email,name'];
  for (let i = 0; i < rows; i++) lines.push(`CRM-${i},lead${i}@example.com,Lead ${i}`);
  if (last) lines.push(last);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('reading', () => {
  it('a CSV record is handed over before the rest of the file is read', async () => {
    // The last line is short; a reader that read the whole file first would have reported it
    // before handing over the first record.
    const file = leadsCsv('late-problem.csv', 50_000, 'CRM-x,late@example.com');
    const issues: ImportIssue[] = [];
    const source = openSource(file, { columns: ['external_id', 'email', 'name'], required: ['email'], onIssue: (i) => issues.push(i) });
    const records = source.records[Symbol.asyncIterator]();
    expect((await records.next()).value).toEqual({ line: 2, fields: { external_id: 'CRM-0', email: 'lead0@example.com', name: 'Lead 0' } });
    expect(issues).toEqual([]);
    let n = 1;
    while (!(await records.next()).done) n++;
    expect(n).toBe(50_000);
    expect(issues).toEqual([{ line: 50_002, column: 2, message: '2 values where the header has 3 columns' }]);
  });

  it('a JSON element is handed over before the rest of the file is read', async () => {
    const file = path.join(dir, 'late-problem.json');
    const elements = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ email: `lead${i}@example.com` }));
    fs.writeFileSync(file, `[\n${[...elements, '"not an object"'].join(',\n')}\n]\n`);
    const issues: ImportIssue[] = [];
    const source = openSource(file, { columns: ['email'], required: ['email'], onIssue: (i) => issues.push(i) });
    const records = source.records[Symbol.asyncIterator]();
    expect((await records.next()).value).toEqual({ line: 2, fields: { email: 'lead0@example.com' } });
    expect(issues).toEqual([]);
    while (!(await records.next()).done);
    expect(issues).toEqual([{ line: 50_002, message: 'each element must be an object such as {"email": "ana@example.com"}' }]);
  });

  it('names the line a CSV record starts on, whatever the line ends (LF, CRLF, CR), blank lines and quoted line breaks', async () => {
    const file = path.join(dir, 'lines.csv');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.record({ blank: fc.nat(2), inner: fc.nat(2), innerBreak: fc.constantFrom('\n', '\r\n') }), { maxLength: 10 }),
        fc.boolean(),
        async (eol, records, endsWithBreak) => {
          // Each record's first value is the line it starts on, counted here by hand.
          let text = `line,note${eol}`;
          let line = 2;
          const expected: number[] = [];
          records.forEach((r, i) => {
            text += eol.repeat(r.blank);
            line += r.blank;
            expected.push(line);
            const note = r.inner ? `"${Array.from({ length: r.inner + 1 }, (_, k) => `part ${k}`).join(r.innerBreak)}"` : 'one line';
            text += `${line},${note}`;
            line += r.inner;
            if (i < records.length - 1 || endsWithBreak) {
              text += eol;
              line++;
            }
          });
          fs.writeFileSync(file, text);
          const issues: ImportIssue[] = [];
          const seen: { line: number; first: unknown }[] = [];
          for await (const r of openSource(file, { columns: ['line', 'note'], required: [], onIssue: (i) => issues.push(i) }).records) {
            seen.push({ line: r.line, first: Number(r.fields.line) });
          }
          expect(issues).toEqual([]);
          expect(seen.map((s) => s.line)).toEqual(expected);
          expect(seen.every((s) => s.line === s.first)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits a JSON array the same however its text is cut into pieces', () => {
    const split = (pieces: string[]) => {
      const splitter = new JsonArraySplitter();
      const out: [string, number][] = [];
      const element = (text: string, line: number) => out.push([text, line]);
      for (const p of pieces) splitter.push(p, element);
      splitter.end(element);
      return { out, issue: splitter.issue };
    };
    const piece = fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', '\n', ' ', ':', 'a', '1', '"x\\"y"', '{"email": "a@b.c"}', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), (parts, cuts) => {
        const text = parts.join('');
        const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => text.slice(from, [...at, text.length][i]));
        expect(split(pieces)).toEqual(split([text]));
      }),
      { numRuns: 2000 },
    );
    expect(split(['[\n  {"a": 1},', '\n  {"b": "x\\"', '}"}\n', ']'])).toEqual({
      out: [
        ['{"a": 1}', 2],
        ['{"b": "x\\"}"}\n', 3],
      ],
      issue: undefined,
    });
  });
});

describe('planning and writing', () => {
  let core: CoreFixture;
  afterEach(async () => core?.close());

  it('leads are looked up a batch at a time while the rows are still coming', async () => {
    core = await openCore();
    // One lead already there, so each batch looks its rows up in the database.
    sqliteOf(core).prepare("insert into leads (email, email_key, consent, created_at, external_id) values ('old@example.com', 'old@example.com', 0, 'x', 'CRM-7')").run();
    let pulled = 0;
    const lookups: number[] = [];
    const db = core.ctx.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') lookups.push(pulled);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const total = 5_000;
    async function* rows(): AsyncGenerator<Row<LeadRow>> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield { line: i + 2, row: { external_id: `CRM-${i}`, email: `lead${i}@example.com` } };
      }
    }
    const spool = new Spool();
    try {
      const issues = new IssueList(100, []);
      const staged = await planLeads(db, rows(), { ctx: core.ctx, issues, listChanges: false, spool });
      expect(issues.total).toBe(0);
      expect(staged).toMatchObject({ created: total - 1, updated: 1, unchanged: 0, changes: [] });
      // Lookups happened while rows were still to come, not once after the last one.
      expect(lookups.filter((n) => n > 0 && n < total).length).toBeGreaterThanOrEqual(3);
    } finally {
      spool.remove();
    }
  });

  it('writes as it reads the planned writes back, inside the one transaction; a failure part-way leaves nothing written', async () => {
    core = await openCore();
    const file = leadsCsv('write.csv', 5_000);
    const outbox = () => sqliteOf(core).prepare('select count(*) from outbox').pluck().get() as number;
    const leads = () => sqliteOf(core).prepare('select count(*) from leads').pluck().get() as number;
    const before = outbox();
    const seen: { rows: number; leads: number }[] = [];
    await expect(
      importFile(core.ctx, {
        kind: 'leads',
        file,
        listChanges: false,
        onProgress: (p) => {
          if (p.phase !== 'writing' || p.rows === 0) return;
          // The same connection sees the transaction's own writes: they were made as the rows were read back.
          seen.push({ rows: p.rows, leads: leads() });
          if (p.rows >= 2_000) throw new Error('the disk is on fire');
        },
      }),
    ).rejects.toThrow('the disk is on fire');
    expect(seen[0].rows).toBeGreaterThan(0);
    expect(seen[0].rows).toBeLessThan(5_000);
    expect(seen[0].leads).toBe(seen[0].rows);
    expect([leads(), outbox()]).toEqual([0, before]);

    const result = await importFile(core.ctx, { kind: 'leads', file, listChanges: false });
    expect(result).toMatchObject({ rows: 5_000, created: 5_000, updated: 0, unchanged: 0, changes: [] });
    expect(leads()).toBe(5_000);
    expect(outbox() - before).toBe(5_000);
    // Each lead.created event names its own lead.
    const matching = sqliteOf(core)
      .prepare(
        "select count(*) from outbox o join leads l on l.id = json_extract(o.data, '$.id') and l.email = json_extract(o.data, '$.email') where o.type = 'lead.created' and o.subject = 'lead/' || l.id",
      )
      .pluck()
      .get();
    expect(matching).toBe(5_000);
  });

  it('plans leads again under the lock when someone changed them meanwhile', async () => {
    core = await openCore();
    const file = leadsCsv('race.csv', 3_000);
    // Between planning and the write, another terminal adds the lead of line 1,002.
    const race = meanwhile(
      core,
      "insert into leads (email, email_key, name, consent, created_at, external_id) values ('other@example.com', 'other@example.com', 'Other', 0, 'x', 'CRM-1000')",
      "insert into outbox (id, type, subject, time, operator, data) values ('race', 'lead.created', 'lead/1', 'x', 'other', '{}')",
    );
    const result = await importFile(core.ctx, { kind: 'leads', file, onProgress: race.onProgress });
    expect(race.raced).toBe(true);
    // Not a unique-index crash: the import saw the new lead and updated it instead.
    expect(result).toMatchObject({ created: 2_999, updated: 1 });
    expect(result.changes.find((c) => c.line === 1_002)).toMatchObject({ action: 'update', changes: { email: { from: 'other@example.com', to: 'lead1000@example.com' } } });
    expect(sqliteOf(core).prepare("select email, name from leads where external_id = 'CRM-1000'").get()).toEqual({ email: 'lead1000@example.com', name: 'Lead 1000' });
  });

  it('leaves no scratch files behind, and keeps them private meanwhile', async () => {
    core = await openCore();
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const modes: string[] = [];
      const peek = () => {
        if (modes.length) return;
        for (const d of fs.readdirSync(tmp)) {
          modes.push((fs.statSync(path.join(tmp, d)).mode & 0o777).toString(8));
          for (const f of fs.readdirSync(path.join(tmp, d))) modes.push((fs.statSync(path.join(tmp, d, f)).mode & 0o777).toString(8));
        }
      };
      await importFile(core.ctx, { kind: 'leads', file: leadsCsv('clean.csv', 10), onProgress: (p) => p.phase === 'writing' && peek() });
      expect(modes).toEqual(['700', '600']);
      await expect(importFile(core.ctx, { kind: 'leads', file: leadsCsv('dirty.csv', 10, 'x,not-an-email,y') })).rejects.toMatchObject({ code: 'invalid_input' });
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      if (saved === undefined) delete process.env.TMPDIR;
    }
  });
});

describe('standard input', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());
  const run = (args: string[], input: string) => spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db } });

  it('`-` imports CSV or JSON from a pipe; a bad row is named as stdin:LINE:COLUMN and nothing is written', () => {
    expect(box.run(['init']).code).toBe(0);
    const bad = run(['import', 'leads', '-'], 'email,name\nana@example.com,Ana\nnot-an-email,Bruno\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('stdin:3:1: email: not an email address: "not-an-email"');
    expect(count(box.db, 'select count(*) from leads')).toBe(0);

    const csv = run(['--json', 'import', 'leads', '-'], 'email,name\nana@example.com,Ana\nbruno@example.com,Bruno\n');
    expect(csv.status, csv.stderr).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ file: 'stdin', format: 'csv', rows: 2, created: 2 });

    const json = run(['import', 'leads', '-', '--dry-run'], '\n  [{"email": "ana@example.com", "name": "Ana S."}, {"email": "carla@example.com"}]');
    expect(json.status, json.stderr).toBe(0);
    expect(json.stderr).toContain('Dry run of stdin (2 rows, leads): 1 to create, 1 to update, 0 unchanged. Nothing was written.');
    expect(count(box.db, 'select count(*) from leads')).toBe(2);
  });

  it('`-` at a terminal says to pipe the file in, rather than wait for the end of typing', async () => {
    if (!fs.existsSync(box.db)) expect(box.run(['init']).code).toBe(0);
    const term = new Terminal(`${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --db ${JSON.stringify(box.db)} import leads -`, { cols: 120, env: { HOME: box.dir } });
    try {
      const screen = await term.waitFor('EXIT=');
      expect(screen).toContain("'-' reads the file from standard input, which is a terminal here");
      expect(screen).toContain('EXIT=2');
    } finally {
      term.close();
    }
  });

  it('stopped while it reads (SIGTERM, Ctrl-C), it leaves no scratch files behind', async () => {
    if (!fs.existsSync(box.db)) expect(box.run(['init']).code).toBe(0);
    const scratch = tempDir('boxoffice-tmp-');
    const child = spawn(process.execPath, [BIN, 'import', 'leads', '-'], {
      env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, TMPDIR: scratch },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    const closed = new Promise((resolve) => child.on('close', (c) => resolve(c)));
    child.stdin.write('email,name\nana@example.com,Ana\n'); // and the pipe stays open: still reading
    for (let i = 0; i < 400 && fs.readdirSync(scratch).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readdirSync(scratch)).toEqual([expect.stringMatching(/^boxoffice-import-/)]);
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  it('`-` with no standard input to read (a caller in-process) is a clear error, not a wait', async () => {
    const r = await inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir })(['import', 'leads', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'-' means standard input, and there is none here");
  });
});
