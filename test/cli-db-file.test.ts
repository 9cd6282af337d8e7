// What `--db FILE` does with a file that is not a boxoffice database: refuse it (exit 2) and leave
// it exactly as it was, with nothing made beside it; only `init` turns an empty file into a
// database, and then a private one.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from './helpers/cli.js';

const box = sandbox();
afterAll(() => box.cleanup());

function file(name: string, content: string | Buffer, mode = 0o644): string {
  const at = path.join(box.dir, name);
  fs.writeFileSync(at, content);
  fs.chmodSync(at, mode);
  return at;
}

/** The folder's entries, and each file's bytes and mode: what "untouched" means. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(box.dir)) {
    const at = path.join(box.dir, name);
    const st = fs.statSync(at);
    out[name] = st.isFile() ? `${(st.mode & 0o777).toString(8)} ${fs.readFileSync(at).toString('base64')}` : 'dir';
  }
  return out;
}

describe('--db naming a file that is not a boxoffice database', () => {
  it('an empty (0-byte) file: every command but init exits 2 saying so, and leaves it empty with nothing beside it', () => {
    const empty = file('empty.db', '');
    const before = snapshot();
    for (const args of [
      ['event', 'list'],
      ['sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash'],
      ['seats', 'Gala'],
    ]) {
      const r = box.run(['--db', empty, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${empty} is not a boxoffice database`);
      expect(r.stderr).toContain(`boxoffice --db ${empty} init`);
      expect(snapshot()).toEqual(before);
    }
    const json = box.run(['--db', empty, 'event', 'list', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error.code).toBe('not_a_database');
    expect(snapshot()).toEqual(before);
  });

  it('init makes an empty file a database, private to its owner (0600)', () => {
    const empty = file('fresh.db', '', 0o644);
    const r = box.run(['--db', empty, 'init', '--no-input']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.statSync(empty).mode & 0o777).toBe(0o600);
    expect(fs.statSync(empty).size).toBeGreaterThan(0);
    const list = box.run(['--db', empty, 'event', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.json).toEqual([]);
  });

  it('a text file: exit 2 for every command, init included, and the file is untouched', () => {
    const notes = file('notes.txt', 'shopping: milk, eggs\n');
    const before = snapshot();
    for (const args of [
      ['event', 'list'],
      ['init', '--no-input'],
      ['init', '--demo'],
    ]) {
      const r = box.run(['--db', notes, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${notes} is not a boxoffice database`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(snapshot()).toEqual(before);
    }
  });

  it("another program's SQLite database: exit 2, init included, and it gains no tables", () => {
    const other = path.join(box.dir, 'other.sqlite');
    const db = new Sqlite(other);
    db.exec('create table recipes (name text)');
    db.close();
    const before = snapshot();
    for (const args of [
      ['event', 'list'],
      ['init', '--no-input'],
    ]) {
      const r = box.run(['--db', other, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${other} is not a boxoffice database`);
      expect(snapshot()).toEqual(before);
    }
  });

  it('a folder: exit 2, not an unexpected failure', () => {
    const r = box.run(['--db', box.dir, 'event', 'list']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('is not a boxoffice database');
  });
});
