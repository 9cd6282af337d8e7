// `boxoffice login | logout | whoami` run in-process: each run function with a buffered IO and a
// config folder of the test's own.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runLogin, runLogout, runWhoami } from '../../src/cli/cmd/auth/auth.js';
import { readConfig } from '../../src/cli/runtime/settings.js';
import { BoxofficeError } from '../../src/core/errors.js';
import { addStaff } from '../../src/core/staff/staff.js';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';
import { tempDir } from '../helpers/cli.js';

let core: CoreFixture;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  core = await openCore();
  dir = tempDir('boxoffice-auth-run-');
  env = { BOXOFFICE_CONFIG_DIR: dir };
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const logoutHere = (io: ReturnType<typeof bufferIO>, json = false) =>
  runLogout(
    io,
    json,
    (work) => work(sessionOf(core, { config: readConfig(env) })),
    () => core.handle.file,
  );

describe('with no staff (single-user)', () => {
  it('whoami says single-user; login has nobody to log in as', async () => {
    const io = bufferIO({ env });
    await runWhoami(io, sessionOf(core));
    expect(io.out()).toBe('single-user (admin) · single-user (no staff defined)\n');
    const json = bufferIO({ env });
    await runWhoami(json, sessionOf(core, { json: true }));
    expect(JSON.parse(json.out())).toEqual({ operator: null, role: 'admin', via: 'single-user (no staff defined)', rehearsal: false, clock: '2027-01-10T12:00:00.000Z', clockMoved: false });
    await expect(runLogin(bufferIO({ env: { ...env, BOXOFFICE_PIN: '1111' } }), sessionOf(core), 'Ana', {})).rejects.toThrow('there is nobody to log in as');
  });
});

describe('with staff', () => {
  beforeAll(async () => {
    await addStaff(core.ctx, { name: 'Ana', role: 'admin', pin: '1111' });
  });

  it('whoami refuses while nobody is logged in, and names an operator from the environment', async () => {
    await expect(runWhoami(bufferIO({ env }), sessionOf(core))).rejects.toMatchObject({ code: 'not_authenticated', message: 'not logged in' });
    const io = bufferIO({ env: { ...env, BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '1111' } });
    await runWhoami(io, sessionOf(core, { json: true }));
    expect(JSON.parse(io.out())).toMatchObject({ operator: 'Ana', role: 'admin', via: 'environment' });
  });

  it('refuses --hours out of range', async () => {
    await expect(runLogin(bufferIO({ env: { ...env, BOXOFFICE_PIN: '1111' } }), sessionOf(core), 'Ana', { hours: '200' })).rejects.toThrow('--hours must be a whole number from 1 to 168');
  });

  it('logs in, whoami then names the session, and logout ends it', async () => {
    const login = bufferIO({ env: { ...env, BOXOFFICE_PIN: '1111' } });
    await runLogin(login, sessionOf(core, { json: true }), 'Ana', { hours: '8' });
    expect(JSON.parse(login.out())).toMatchObject({ operator: 'Ana', role: 'admin' });
    const who = bufferIO({ env });
    await runWhoami(who, sessionOf(core, { config: readConfig(env) }));
    expect(who.out()).toMatch(/^Ana \(admin\) · login session until \d{4}-\d\d-\d\dT/);
    const out = bufferIO({ env });
    await logoutHere(out);
    expect(out.err()).toBe('Logged out Ana\n');
    const again = bufferIO({ env });
    await logoutHere(again, true);
    expect(JSON.parse(again.out())).toEqual({ loggedOut: false, operator: null });
  });

  it('forgets a login whose database is gone', async () => {
    await runLogin(bufferIO({ env: { ...env, BOXOFFICE_PIN: '1111' } }), sessionOf(core), 'Ana', {});
    const io = bufferIO({ env });
    const gone = async () => {
      throw new BoxofficeError('database_missing', 'no database');
    };
    await runLogout(io, false, gone, () => core.handle.file);
    expect(io.err()).toBe('Logged out Ana\n');
    expect(readConfig(env).sessions).toEqual({});
  });
});
