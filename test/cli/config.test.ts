// `boxoffice config …` run in-process: each subcommand's run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runConfigGet, runConfigList, runConfigPath, runConfigSet, runConfigUnset } from '../../src/cli/cmd/config/config.js';
import { tempDir } from '../helpers/cli.js';

const dir = tempDir('boxoffice-config-run-');
const env = { BOXOFFICE_CONFIG_DIR: dir };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('sets, gets, lists and unsets a setting in the file', async () => {
    const io = bufferIO({ env });
    await runConfigSet(io, {}, 'holdMinutes', '20');
    runConfigGet(io, {}, 'holdMinutes');
    expect(io.err()).toBe('Set holdMinutes\n');
    expect(io.out()).toBe('20\n');
    const list = bufferIO({ env });
    runConfigList(list, { json: true });
    expect(JSON.parse(list.out())).toContainEqual(expect.objectContaining({ key: 'holdMinutes', value: '20', source: 'config' }));
    const unset = bufferIO({ env });
    await runConfigUnset(unset, { json: true }, 'holdMinutes');
    expect(JSON.parse(unset.out())).toEqual({ key: 'holdMinutes', value: null });
  });

  it('says where the file is, and the --db flag wins for db', () => {
    const io = bufferIO({ env });
    runConfigPath(io, {});
    expect(path.dirname(io.out().trim())).toBe(dir);
    const db = bufferIO({ env });
    runConfigGet(db, { json: true, db: '/tmp/x.db' }, 'db');
    expect(JSON.parse(db.out())).toMatchObject({ key: 'db', value: '/tmp/x.db' });
  });
});
