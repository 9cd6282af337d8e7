// Files the commands write (backups, ticket PDFs, exports) through the real binary: whole or not
// at all when killed, never through a symlink or into a FIFO, never over an existing file without
// --force, private (0600), no temp files left behind by the next run, and one exit code (2) for a
// place that cannot be written.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BIN, preparedSandbox, tempDir } from './helpers/cli.js';

const box = preparedSandbox();
afterAll(() => box.cleanup());
const file = (name: string) => path.join(box.dir, name);
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, ...extra });

/** Names in `dir` that are ours but not asked for: temp files of a write. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('partial'));

let order: string;
beforeAll(() => {
  const sale = box.run(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--json']);
  expect(sale.code, sale.stderr).toBe(0);
  order = sale.json.code;
});

function orders(): number {
  return box.run(['order', 'list', '--json']).json.length;
}

/**
 * Starts the binary, waits until a file in `dir` other than `known` has grown past `bytes` (or
 * the file `changing` changed size), then kills it.
 */
async function killWhileWriting(args: string[], dir: string, known: string[], bytes: number, signal: NodeJS.Signals, changing?: string) {
  const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : -1);
  const before = changing ? sizeOf(changing) : -1;
  const child = spawn(process.execPath, [BIN, ...args], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
  onTestFinished(() => void child.kill('SIGKILL'));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let seen: string | undefined;
  for (let i = 0; i < 3000 && !seen && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 5));
    if (changing && sizeOf(changing) !== before) seen = changing;
    for (const name of fs.readdirSync(dir)) {
      if (known.includes(name)) continue;
      try {
        if (fs.lstatSync(path.join(dir, name)).size > bytes) seen = name;
      } catch {
        // gone between readdir and lstat
      }
    }
  }
  child.kill(signal);
  const end = await closed;
  // The kill landed mid-write: the command had not finished by itself.
  expect(end.code === null || end.code >= 128, `${JSON.stringify(end)} ${stderr}`).toBe(true);
  expect(seen, stderr).toBeDefined();
  return { end, stderr };
}

describe('backup', () => {
  const dir = tempDir('boxoffice-backups-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const big = path.join(dir, 'big.db');

  beforeAll(() => {
    // A database big enough that a copy takes a while (~160 MB of rows).
    fs.copyFileSync(box.db, big);
    const db = new Sqlite(big);
    db.exec('create table filler(b blob); with recursive n(i) as (select 1 union all select i + 1 from n where i < 40000) insert into filler select randomblob(4000) from n;');
    db.close();
  });

  it('killed (SIGKILL) mid-copy, leaves nothing under the name asked for; the next backup removes what it left', async () => {
    const target = path.join(dir, 'night.db');
    await killWhileWriting(['--db', big, 'backup', target], dir, ['big.db', 'big.db-wal', 'big.db-shm', 'big.db-wake'], 1 << 20, 'SIGKILL');
    expect(fs.existsSync(target)).toBe(false);
    expect(leftovers(dir).length).toBeGreaterThan(0);

    const next = box.run(['backup', path.join(dir, 'small.db')]);
    expect(next.code, next.stderr).toBe(0);
    expect(leftovers(dir)).toEqual([]);
  });

  it('--force killed mid-copy keeps the previous good backup whole', async () => {
    const target = path.join(dir, 'kept.db');
    expect(box.run(['backup', target]).code).toBe(0);
    const before = fs.readFileSync(target);
    await killWhileWriting(['--db', big, 'backup', target, '--force'], dir, fs.readdirSync(dir), 1 << 20, 'SIGKILL', target);
    expect(fs.readFileSync(target).equals(before)).toBe(true);
    const copy = new Sqlite(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('select count(*) n from orders').get()).toEqual({ n: 1 });
    copy.close();
  });

  it('refuses a symlink, dangling or not, even with --force, and leaves what it points to untouched', () => {
    const precious = path.join(dir, 'precious.txt');
    fs.writeFileSync(precious, 'keep me');
    const link = path.join(dir, 'link.db');
    fs.symlinkSync(precious, link);
    const dangling = path.join(dir, 'dangling.db');
    fs.symlinkSync(path.join(dir, 'elsewhere.db'), dangling);
    for (const args of [[link, '--force'], [dangling], [dangling, '--force']]) {
      const r = box.run(['backup', ...args]);
      expect(r.code, `${args} ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('symbolic link');
    }
    expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
    expect(fs.existsSync(path.join(dir, 'elsewhere.db'))).toBe(false);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('an existing file: refused without --force (exit 4, says --force), replaced whole and private with it', () => {
    const target = path.join(dir, 'old.db');
    fs.writeFileSync(target, 'an older backup');
    fs.chmodSync(target, 0o644);
    const refused = box.run(['backup', target]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(target, 'utf8')).toBe('an older backup');
    const forced = box.run(['backup', target, '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json.integrity).toBe('ok');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('-o FILE: tickets pdf, tickets print, sell --pdf, export', () => {
  const printCommand = { BOXOFFICE_PRINT_COMMAND: 'true {file}' };
  const writers: { name: string; args: (out: string) => string[]; env?: Record<string, string>; sells?: boolean }[] = [
    { name: 'tickets pdf', args: (out) => ['tickets', 'pdf', order, '-o', out] },
    { name: 'tickets print', args: (out) => ['tickets', 'print', order, '-o', out], env: printCommand },
    { name: 'sell --pdf', args: (out) => ['sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash', '--pdf', out], sells: true },
    { name: 'export', args: (out) => ['export', 'orders', '-o', out] },
  ];

  it.each(writers)('$name onto an existing file: refused without --force (exit 4, file unchanged, nothing sold), replaced with it', (w) => {
    const out = file(`existing-${w.name.replace(/\W/g, '-')}`);
    fs.writeFileSync(out, 'do not lose me');
    const sold = orders();
    const refused = box.run(w.args(out), w.env);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(out, 'utf8')).toBe('do not lose me');
    expect(orders()).toBe(sold);

    const forced = box.run([...w.args(out), '--force'], w.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).not.toBe('do not lose me');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(orders()).toBe(sold + (w.sells ? 1 : 0));
  });

  it.each(writers)('$name onto a FIFO or through a symlink: refused (exit 2) even with --force, before any sale', (w) => {
    const fifo = file(`fifo-${w.name.replace(/\W/g, '-')}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const real = file(`real-${w.name.replace(/\W/g, '-')}`);
    fs.writeFileSync(real, 'the real file');
    const link = file(`link-${w.name.replace(/\W/g, '-')}`);
    fs.symlinkSync(real, link);
    const sold = orders();
    for (const [target, why] of [
      [fifo, 'not a regular file'],
      [link, 'symbolic link'],
    ]) {
      for (const force of [[], ['--force']]) {
        const r = spawnSync(process.execPath, [BIN, ...w.args(target), ...force], { encoding: 'utf8', env: env(w.env), timeout: 30_000 });
        expect(r.status, `${target} ${force} ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(why);
      }
    }
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('the real file');
    expect(orders()).toBe(sold);
  });

  it('a new PDF or export is private (0600)', () => {
    expect(box.run(['tickets', 'pdf', order, '-o', file('new.pdf')]).code).toBe(0);
    expect(fs.statSync(file('new.pdf')).mode & 0o777).toBe(0o600);
    expect(box.run(['export', 'orders', '-o', file('new.csv')]).code).toBe(0);
    expect(fs.statSync(file('new.csv')).mode & 0o777).toBe(0o600);
    expect(box.run(['sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash', '--pdf', file('sold.pdf')]).code).toBe(0);
    expect(fs.statSync(file('sold.pdf')).mode & 0o777).toBe(0o600);
  });
});

describe('tickets print without -o', () => {
  it('refuses a spool folder that others can read or write (a shared temp folder), and uses a private one', () => {
    const tmp = tempDir('boxoffice-tmp-');
    onTestFinished(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const spool = path.join(tmp, `boxoffice-print-${process.getuid?.() ?? 'user'}`);
    fs.mkdirSync(spool);
    fs.chmodSync(spool, 0o777);
    const r = box.run(['tickets', 'print', order], { TMPDIR: tmp, BOXOFFICE_PRINT_COMMAND: 'true {file}' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('not a private folder');
    expect(fs.readdirSync(spool)).toEqual([]);
    fs.chmodSync(spool, 0o700);
    expect(box.run(['tickets', 'print', order], { TMPDIR: tmp, BOXOFFICE_PRINT_COMMAND: 'true {file}' }).code).toBe(0);
  });
});

describe('a killed tickets pdf', () => {
  const dir = tempDir('boxoffice-pdfs-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    // An event of 100 tickets: its PDF takes a few seconds to render.
    for (const args of [
      ['config', 'set', 'orderLimit', '100'],
      ['event', 'add', 'Big', '--venue', 'Main Hall', '--starts', '2027-03-02T20:00'],
      ['event', 'price', 'Big', '--tier', 'Adult', '--price', '25'],
      ['event', 'publish', 'Big'],
      ...Array.from({ length: 5 }, () => ['sell', 'Big', '--best', '20', '--tier', 'Adult', '--pay', 'cash']),
    ]) {
      const r = box.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('by SIGTERM leaves no temp file; by SIGKILL leaves one that is private, and the next run removes it', async () => {
    const target = path.join(dir, 'big.pdf');
    await killWhileWriting(['tickets', 'pdf', '--event', 'Big', '-o', target], dir, [], 4096, 'SIGTERM');
    expect(fs.readdirSync(dir)).toEqual([]);

    await killWhileWriting(['tickets', 'pdf', '--event', 'Big', '-o', target], dir, [], 4096, 'SIGKILL');
    expect(fs.existsSync(target)).toBe(false);
    const left = fs.readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(fs.statSync(path.join(dir, left[0])).mode & 0o777).toBe(0o600);

    const next = box.run(['tickets', 'pdf', order, '-o', path.join(dir, 'small.pdf')]);
    expect(next.code, next.stderr).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['small.pdf']);
  });
});

describe('import scratch folders', () => {
  it('a killed import leaves its folder of emails; the next import removes it', async () => {
    const scratch = tempDir('boxoffice-tmp-');
    onTestFinished(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const child = spawn(process.execPath, [BIN, 'import', 'leads', '-'], { env: env({ TMPDIR: scratch }), stdio: ['pipe', 'ignore', 'ignore'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.stdin.write('email,name\nana@example.com,Ana\n'); // the pipe stays open: still reading
    for (let i = 0; i < 400 && fs.readdirSync(scratch).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readdirSync(scratch)).toEqual([expect.stringMatching(/^boxoffice-import-/)]);
    child.kill('SIGKILL');
    await closed;
    expect(fs.readdirSync(scratch)).toHaveLength(1);

    const leads = file('leads.csv');
    fs.writeFileSync(leads, 'email,name\nrui@example.com,Rui\n');
    const next = box.run(['import', 'leads', leads], { TMPDIR: scratch });
    expect(next.code, next.stderr).toBe(0);
    expect(fs.readdirSync(scratch)).toEqual([]);
  });
});

describe('a place that cannot be written', () => {
  // As root, permissions do not stop anyone: the commands then run as nobody.
  const root = process.getuid?.() === 0;
  const user = root ? { uid: 65534, gid: 65534 } : {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-unwritable-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'box.db');
  const locked = path.join(dir, 'locked');
  const run = (args: string[], extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, ...args], { ...user, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, BOXOFFICE_DB: db, ...extra } });

  beforeAll(() => {
    fs.chmodSync(dir, 0o777);
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555);
    fs.copyFileSync(box.db, db);
    if (root) fs.chownSync(db, 65534, 65534);
  });

  it.each([
    ['backup', ['backup', path.join(locked, 'b.db')]],
    ['tickets pdf', () => ['tickets', 'pdf', order, '-o', path.join(locked, 't.pdf')]],
    ['tickets print', () => ['tickets', 'print', order, '-o', path.join(locked, 't.pdf')]],
    ['sell --pdf', ['sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash', '--pdf', path.join(locked, 's.pdf')]],
    ['export', ['export', 'orders', '-o', path.join(locked, 'o.csv')]],
  ] as [string, string[] | (() => string[])][])('%s: exit 2 naming the path and the reason, no stack trace, nothing sold', (_name, args) => {
    const before = run(['order', 'list', '--json']);
    expect(before.status, before.stderr).toBe(0);
    const r = run(typeof args === 'function' ? args() : args, { BOXOFFICE_PRINT_COMMAND: 'true {file}' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(locked);
    expect(r.stderr).toMatch(/permission denied/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(locked)).toEqual([]);
    expect(JSON.parse(run(['order', 'list', '--json']).stdout)).toHaveLength(JSON.parse(before.stdout).length);
  });
});

describe('the database itself is never an output', () => {
  const attempts: [string, (target: string) => string[]][] = [
    ['tickets pdf -o', (target) => ['tickets', 'pdf', order, '-o', target, '--force']],
    ['export -o', (target) => ['export', 'orders', '-o', target, '--force']],
    ['backup', (target) => ['backup', target, '--force']],
  ];
  it.each(attempts)('%s onto the open database or its -wal, even with --force: exit 2, the database intact', (_name, args) => {
    const before = orders();
    for (const target of [box.db, `${box.db}-wal`, path.join(path.dirname(box.db), '.', path.basename(box.db))]) {
      const r = box.run(args(target));
      expect(r.code, `${target}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("the box office's database");
    }
    // Through a hard link too: the same file under another name.
    const link = file('same-file.db');
    fs.rmSync(link, { force: true });
    fs.linkSync(box.db, link);
    const r = box.run(args(link));
    fs.rmSync(link, { force: true });
    expect(r.code, r.stderr).toBe(2);
    expect(orders()).toBe(before);
  });
});
