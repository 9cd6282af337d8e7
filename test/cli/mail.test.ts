// `boxoffice mail …` run in-process: each subcommand's run function with a buffered IO.
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runMailList, runMailRetry } from '../../src/cli/cmd/mail/mail.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';
import { inProcess } from '../helpers/in-process.js';

const f = usePeopleFixture();
beforeAll(async () => {
  const cli = inProcess({ BOXOFFICE_DB: f.core.target, BOXOFFICE_CONFIG_DIR: f.dir });
  expect((await cli(['tickets', 'email', f.order])).code).toBe(0);
});

describe('mail', () => {
  it('lists the queue', async () => {
    const io = bufferIO();
    await runMailList(io, sessionOf(f.core, { json: true }), {});
    expect(JSON.parse(io.out())).toMatchObject([{ to: 'kim@example.com', status: 'queued' }]);
  });

  it('will not retry without a mail server', async () => {
    await expect(runMailRetry(bufferIO(), sessionOf(f.core), [])).rejects.toThrow('no mail server is set');
  });
});
