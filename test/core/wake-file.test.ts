// Processes waiting for the write lock are woken by the one that releases it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WakeFile } from '../../src/db/wake-file.js';
import { tempDir } from '../helpers/cli.js';

describe('the wake file', () => {
  const opened: WakeFile[] = [];
  const wakeFile = (file: string) => {
    const w = new WakeFile(file);
    opened.push(w);
    return w;
  };
  afterEach(() => opened.splice(0).forEach((w) => w.close()));

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
    const file = path.join(tempDir('boxoffice-wake-'), 'box.db-wake');
    const sleeper = wakeFile(file);
    await sleeper.sleep(5);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('in a folder it cannot write, sleeps on its timer alone', async () => {
    const sleeper = wakeFile(path.join(tempDir('boxoffice-wake-'), 'missing-folder', 'box.db-wake'));
    sleeper.wake();
    await sleeper.sleep(5);
  });
});
