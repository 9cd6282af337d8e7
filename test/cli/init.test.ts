// `boxoffice init` run in-process: its run function with a buffered IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runInit } from '../../src/cli/cmd/init/init.js';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;
beforeAll(async () => {
  core = await openCore();
});
afterAll(() => core.close());

describe('init', () => {
  it('adds the demo once, and says so', async () => {
    const io = bufferIO();
    await runInit(io, sessionOf(core), { demo: true, input: false }, { target: core.target });
    expect(io.err()).toContain('Added the demo venues and events. Next: boxoffice event list');
    const again = bufferIO();
    await runInit(again, sessionOf(core, { json: true }), { demo: true, input: false }, { target: core.target });
    expect(JSON.parse(again.out())).toMatchObject({ demo: false, rehearsal: false });
  });

  it('opens a database and says what to do next', async () => {
    const io = bufferIO();
    await runInit(io, sessionOf(core), { input: false }, { target: core.target });
    expect(io.err()).toContain('Next: boxoffice venue add "Main Hall" --city Lisbon --timezone Europe/Lisbon (or init --demo)');
  });
});
