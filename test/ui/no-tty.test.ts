// Without a terminal the TUI cannot read keys: it says so and exits non-zero at once, never
// waiting for keys that cannot come. Bare `boxoffice` piped shows the usage and exits 2.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../helpers/cli.js';

const box = sandbox();
beforeAll(() => {
  expect(box.run(['init', '--demo']).code).toBe(0);
});
afterAll(() => box.cleanup());

describe('without a terminal', () => {
  it('boxoffice ui with piped stdin prints a hint and exits 2', () => {
    const r = box.run(['ui']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('boxoffice ui needs a terminal');
    expect(r.stderr).toContain('boxoffice --help');
    expect(r.stdout).toBe('');
  });

  it('refuses before loading Ink or React', () => {
    const hook = path.join(ROOT, 'test', 'fixtures', 'register-heavy-import-hook.mjs');
    const r = spawnSync(process.execPath, ['--import', hook, BIN, 'ui'], { encoding: 'utf8', input: '', env: { PATH: process.env.PATH ?? '', BOXOFFICE_DB: box.db, HOME: box.dir } });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('LOADED');
  });

  it('the refusal is JSON under --json', () => {
    const r = box.run(['ui', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('bare boxoffice piped shows the usage and exits 2 instead of opening the TUI', () => {
    const r = box.run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: boxoffice');
    expect(r.stderr).toContain('ui ');
  });

  it('ui --help works anywhere and names the keys document', () => {
    const r = box.run(['ui', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('docs/tui.md');
    expect(r.stdout).toContain('NO_COLOR=1 boxoffice ui');
  });
});
