// Who acts on a database, as the application answers both fronts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whoAmI } from '../../src/app/whoami.js';
import { addStaff } from '../../src/core/staff/staff.js';
import { login } from '../../src/core/staff/sessions.js';
import { openCore, type CoreFixture } from '../helpers/core.js';

let core: CoreFixture;
beforeAll(async () => {
  core = await openCore();
});
afterAll(() => core.close());

describe('whoAmI', () => {
  it('is single-user while no staff are defined', async () => {
    expect(await whoAmI(core.ctx, {})).toEqual({ operator: null, role: 'admin', via: 'single-user', rehearsal: false, clock: '2027-01-10T12:00:00.000Z', clockMoved: false });
  });

  it('is nobody without a login, the named operator with a right PIN, the session with a login', async () => {
    await addStaff(core.ctx, { name: 'Rui', role: 'admin', pin: '2222' });
    await addStaff(core.as({ staffId: 1, name: 'Rui', role: 'admin' }), { name: 'Ana', role: 'manager', pin: '1111' });
    expect(await whoAmI(core.ctx, {})).toBeNull();
    expect(await whoAmI(core.ctx, { sessionToken: 'no-such-token' })).toBeNull();
    expect(await whoAmI(core.ctx, { operator: 'Ana', pin: '1111' })).toMatchObject({ operator: 'Ana', role: 'manager', via: 'environment' });
    await expect(whoAmI(core.ctx, { operator: 'Ana', pin: '9999' })).rejects.toMatchObject({ code: 'not_authenticated' });
    const session = await login(core.handle.db, 'Ana', '1111', 2);
    const me = await whoAmI(core.ctx, { sessionToken: session.token });
    expect(me).toMatchObject({ operator: 'Ana', role: 'manager', via: 'session', expiresAt: session.expiresAt });
  });
});
