// Every test file runs with a HOME and XDG directories of its own, and without the BOXOFFICE_*
// variables of whoever runs the suite: a developer's config, login or database must never reach a
// test (a newcomer who had used the CLI once saw `npm test` fail). Children inherit this env.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-home-'));
if (process.env.BOXOFFICE_TEST_REAL_HOME === undefined) process.env.BOXOFFICE_TEST_REAL_HOME = process.env.HOME ?? '';
process.env.HOME = home;
process.env.XDG_CONFIG_HOME = path.join(home, '.config');
process.env.XDG_DATA_HOME = path.join(home, '.local', 'share');
process.env.XDG_STATE_HOME = path.join(home, '.local', 'state');
process.env.XDG_CACHE_HOME = path.join(home, '.cache');
for (const name of Object.keys(process.env)) {
  if (name.startsWith('BOXOFFICE_') && !name.startsWith('BOXOFFICE_TEST_')) delete process.env[name];
}
for (const name of ['NO_COLOR', 'FORCE_COLOR', 'PGPASSWORD', 'PGHOST', 'PGUSER', 'PGDATABASE', 'NATS_URL']) delete process.env[name];

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
