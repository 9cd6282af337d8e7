// `boxoffice log` run in-process: its run function with a buffered IO.
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runLog } from '../../src/cli/cmd/log/log.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('log', () => {
  it("shows an order's changes, and is refused to a clerk", async () => {
    const io = bufferIO();
    await runLog(io, sessionOf(f.core, { json: true }), { order: f.order });
    const entries = JSON.parse(io.out());
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e: { subject: string }) => e.subject.includes(f.order) || e.subject.startsWith('order/') || e.subject.startsWith('customer/') || e.subject.startsWith('ticket/'))).toBe(true);
    const clerk = f.core.as({ staffId: 2, name: 'Kim', role: 'clerk' });
    await expect(runLog(bufferIO(), sessionOf(f.core, { ctx: clerk }), {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('refuses a time it cannot read, naming the flag', async () => {
    await expect(runLog(bufferIO(), sessionOf(f.core), { since: 'yesterday' })).rejects.toThrow('--since must look like 2027-03-01T20:00');
  });
});
