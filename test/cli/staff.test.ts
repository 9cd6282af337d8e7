// `boxoffice staff …` run in-process: each subcommand's run function with a buffered IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runStaffAdd, runStaffDisable, runStaffList, runStaffPin, runStaffUnlock } from '../../src/cli/cmd/staff/staff.js';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;
beforeAll(async () => {
  core = await openCore();
});
afterAll(() => core.close());

describe('staff', () => {
  it('wants an admin first, then adds members', async () => {
    await expect(runStaffAdd(bufferIO(), sessionOf(core), 'Kim', { role: 'clerk', pin: '1234' })).rejects.toMatchObject({ reason: 'first_staff_not_admin' });
    const io = bufferIO();
    await runStaffAdd(io, sessionOf(core), 'Ana', { role: 'admin', pin: '1234' });
    await runStaffAdd(io, sessionOf(core), 'Kim', { role: 'clerk', pin: '5678' });
    expect(io.err()).toContain('Kim');
  });

  it('lists staff without their PINs', async () => {
    const io = bufferIO();
    await runStaffList(io, sessionOf(core, { json: true }));
    const list = JSON.parse(io.out());
    expect(list.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([
      ['Ana', 'admin'],
      ['Kim', 'clerk'],
    ]);
    expect(io.out()).not.toContain('1234');
  });

  it('sets a PIN, unlocks and disables a member', async () => {
    const io = bufferIO();
    await runStaffPin(io, sessionOf(core), 'Kim', { pin: '2468' });
    await runStaffUnlock(io, sessionOf(core), 'Kim');
    await runStaffDisable(io, sessionOf(core, { json: true }), 'Kim');
    expect(io.out()).toContain('Kim');
    expect(io.err()).toContain('Kim');
  });
});
