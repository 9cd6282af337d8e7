// Processes waiting for the write lock are woken by the one that releases it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WakeFile } from '../../src/db/wake-file.js';
import { openDatabase } from '../../src/db/connection.js';
import { sellSeats } from '../../src/core/orders/sale.js';
import { tempDir } from '../helpers/cli.js';
import { openCore, seedGala } from '../helpers/core.js';

describe('waiting for the write lock', () => {
  it("a connection's first write waits without blocking the event loop, watching the wake file, and sells once the lock is let go", async () => {
    const core = await openCore();
    try {
      const { eventId } = await seedGala(core.ctx);
      const file = core.handle.file;
      const other = new Database(file);
      other.exec('begin immediate');
      const fresh = await openDatabase(file);
      try {
        const sale = sellSeats({ ...core.ctx, db: fresh.db }, { event: eventId, seats: [{ row: 'C', number: 3 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
        // Only if the sale waits on timers rather than inside SQLite can this timer run and let go.
        await new Promise((resolve) => setTimeout(resolve, 150));
        other.exec('commit');
        other.close();
        // Blocked inside SQLite's busy handler, the timer above could not have run to let go: the
        // handler would have given up first and the sale failed as locked.
        expect((await sale).status).toBe('paid');
        expect(fs.existsSync(`${file}-wake`)).toBe(true);
      } finally {
        await fresh.close();
      }
    } finally {
      await core.close();
    }
  }, 30_000);
});

describe('the wake file', () => {
  const opened: WakeFile[] = [];
  const wakeFile = (file: string) => {
    const w = new WakeFile(file);
    opened.push(w);
    return w;
  };
  afterEach(() => {
    opened.splice(0).forEach((w) => w.close());
    vi.useRealTimers();
  });

  it('wakes a sleeper long before its timer when another process writes to it', async () => {
    const file = path.join(tempDir('boxoffice-wake-'), 'box.db-wake');
    const sleeper = wakeFile(file);
    const woken = sleeper.sleep(60_000).then(() => 'woken');
    // Another OS process releasing the lock, as a seller in another terminal would.
    const script = `import('${new URL('../../dist/db/wake-file.js', import.meta.url).href}').then(({ WakeFile }) => { const w = new WakeFile(${JSON.stringify(file)}); w.wake(); w.close(); })`;
    const other = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(other.status, other.stderr).toBe(0);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still asleep after 10 s'), 10_000).unref());
    expect(await Promise.race([woken, timeout])).toBe('woken');
  });

  it('falls back to the timer when no one wakes it, and keeps the file private', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const file = path.join(tempDir('boxoffice-wake-'), 'box.db-wake');
    const sleeper = wakeFile(file);
    const sleep = settled(sleeper.sleep(60_000));
    await turns();
    expect(sleep.done).toBe(false);
    vi.advanceTimersByTime(60_000);
    await turns();
    expect(sleep.done).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never writes through a symbolic link planted in its place', async () => {
    const dir = tempDir('boxoffice-wake-');
    const precious = path.join(dir, 'precious.txt');
    fs.writeFileSync(precious, 'keep me');
    fs.symlinkSync(precious, path.join(dir, 'box.db-wake'));
    const sleeper = wakeFile(path.join(dir, 'box.db-wake'));
    sleeper.wake();
    await sleeper.sleep(5);
    expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
  });

  it('in a folder it cannot write, sleeps on its timer alone', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const folder = path.join(tempDir('boxoffice-wake-'), 'missing-folder');
    const sleeper = wakeFile(path.join(folder, 'box.db-wake'));
    const sleep = settled(sleeper.sleep(60_000));
    sleeper.wake();
    await turns();
    expect(sleep.done).toBe(false);
    vi.advanceTimersByTime(60_000);
    await turns();
    expect(sleep.done).toBe(true);
    expect(fs.existsSync(folder)).toBe(false);
  });
});

/** Whether a promise has settled, readable at any moment. */
function settled(promise: Promise<unknown>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

/** Lets I/O callbacks (a file watcher's) and promise reactions run, without real time passing. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}
