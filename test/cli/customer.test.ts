// `boxoffice customer …` run in-process: each subcommand's run function with a buffered IO.
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runCustomerList, runCustomerShow } from '../../src/cli/cmd/customer/customer.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('customer', () => {
  it('lists customers for managers, and not for a clerk', async () => {
    const io = bufferIO();
    await runCustomerList(io, sessionOf(f.core, { json: true }));
    expect(JSON.parse(io.out())).toMatchObject([{ email: 'kim@example.com', name: 'Kim' }]);
    const clerk = f.core.as({ staffId: 2, name: 'Kim', role: 'clerk' });
    await expect(runCustomerList(bufferIO(), sessionOf(f.core, { ctx: clerk }))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('shows a customer by email with their orders; by id for managers only', async () => {
    const io = bufferIO();
    await runCustomerShow(io, sessionOf(f.core), 'kim@example.com');
    expect(io.out()).toContain('kim@example.com');
    expect(io.out()).toContain(f.order);
    const clerk = f.core.as({ staffId: 2, name: 'Kim', role: 'clerk' });
    await expect(runCustomerShow(bufferIO(), sessionOf(f.core, { ctx: clerk }), '1')).rejects.toMatchObject({ code: 'forbidden', reason: 'customer_by_id' });
  });
});
