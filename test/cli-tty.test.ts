// What people see at a terminal: colour only when wanted, and seat maps that fit the screen.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, preparedSandbox } from './helpers/cli.js';
import { inProcess } from './helpers/in-process.js';
import { displayWidth, printTable } from '../src/cli/runtime/output.js';
import { bufferIO } from '../src/cli/runtime/io.js';

const box = preparedSandbox();
afterAll(() => box.cleanup());

/** Runs the real binary under script(1), so stdout is a pseudo-terminal. */
function atTerminal(args: string, env: Record<string, string> = {}): string {
  const r = spawnSync('script', ['-qec', `stty cols 100; "${process.execPath}" "${BIN}" ${args}`, '/dev/null'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, TERM: 'xterm', ...env },
  });
  expect(r.status, r.stdout).toBe(0);
  return r.stdout;
}

describe('at a terminal', () => {
  it('colours tables and maps, unless NO_COLOR or --no-color says not to', () => {
    expect(atTerminal('event list')).toContain('\u001b[');
    expect(atTerminal('seats Gala')).toContain('\u001b[');
    expect(atTerminal('event list', { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(atTerminal('seats Gala', { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(atTerminal('--no-color seats Gala')).not.toContain('\u001b[');
  });

  it('shows seat status by symbol as well as colour, with a legend and a summary per section', () => {
    const map = atTerminal('seats Gala', { NO_COLOR: '1' });
    expect(map).toMatch(/Stalls\s+reserved\s+200 seats: 200 free, 0 held, 0 sold/);
    expect(map).toMatch(/Floor\s+general admission\s+50 places/);
    expect(map).toContain('Legend: ○ free   ◐ held   ● sold   ✕ blocked');
  });

  it('splits a section wider than the terminal into bands instead of wrapping it', async () => {
    const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
    expect((await run(['venue', 'seatmap', 'generate', 'Main Hall', '--section', 'Wide', '--rows', 'A-C', '--seats', '1-70'])).code).toBe(0);
    const io = await import('../src/cli/runtime/io.js');
    const { runCli } = await import('../src/cli/program.js');
    const narrow = io.bufferIO({ tty: true, columns: 60, env: { BOXOFFICE_DB: box.db, HOME: box.dir } });
    expect(await runCli(['seats', 'Gala', '--section', 'Wide'], narrow)).toBe(0);
    const lines = narrow.out().split('\n');
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines.filter((l) => /^\s*A /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(narrow.out()).toContain('seats 1–');
  });

  it('draws a table of 200,000 rows, its columns as wide as the widest cell', () => {
    const io = bufferIO({ tty: true, columns: 80 });
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ code: `T${i}`, seats: i % 7 }));
    printTable(io, rows, [
      { header: 'Code', value: (r) => r.code },
      { header: 'Seats', value: (r) => r.seats, align: 'right' },
    ]);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toBe('CODE     SEATS');
    expect(lines[200_000]).toBe('T199999      2');
  });

  it('an unknown --section exits 3 and lists the sections there are', async () => {
    const run = inProcess({ BOXOFFICE_DB: box.db, HOME: box.dir });
    const r = await run(['seats', 'Gala', '--section', 'Gallery']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no section "Gallery"');
    expect(r.stderr).toMatch(/sections: Stalls, Floor/);
  });
});
