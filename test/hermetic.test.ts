// The suite never sees the config, login or database of the person running it (test/setup/hermetic.ts).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';

describe('a test runs in a home of its own', () => {
  it('HOME and the XDG folders are a temporary folder, not the user’s', () => {
    const real = process.env.BOXOFFICE_TEST_REAL_HOME;
    expect(real, 'test/setup/hermetic.ts ran').toBeDefined();
    expect(os.homedir()).not.toBe(real);
    expect(path.dirname(os.homedir())).toBe(os.tmpdir());
    expect(path.basename(os.homedir())).toMatch(/^boxoffice-home-/);
    for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME']) {
      expect(process.env[name], name).toBeDefined();
      expect(path.relative(os.homedir(), process.env[name]!).startsWith('..'), name).toBe(false);
    }
  });

  it('no BOXOFFICE_ setting of the user reaches a test or a process it starts', () => {
    expect(Object.keys(process.env).filter((k) => k.startsWith('BOXOFFICE_') && !k.startsWith('BOXOFFICE_TEST_'))).toEqual([]);
    const r = spawnSync(process.execPath, [BIN, 'config', 'path'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().startsWith(os.homedir())).toBe(true);
  });
});
