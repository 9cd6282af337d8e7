// checkin as a run function: admitted once, for people and as JSON.
import { describe, expect, it } from 'vitest';
import { galaEachTest, sessionOf } from '../helpers/session.js';
import { seats, tiers } from '../helpers/requests.js';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { BoxofficeError } from '../../src/core/errors.js';
import { sellSeats } from '../../src/core/orders/sale.js';
import { runCheckin } from '../../src/cli/cmd/checkin/run.js';

const fx = galaEachTest();

describe('runCheckin', () => {
  it('admits a ticket once and refuses the second scan', async () => {
    const sold = await sellSeats(fx.core.ctx, { event: fx.event, seats: seats('E-1'), tier: tiers('Adult'), payment: { method: 'cash' } });
    const code = sold.tickets[0].code!;
    const io = bufferIO();
    await runCheckin(io, sessionOf(fx.core), { code, event: 'Gala', gate: '2' });
    expect(io.out()).toBe(`ADMITTED  Gala · E-1 · Adult · order ${sold.code}\n`);
    const again = await runCheckin(bufferIO(), sessionOf(fx.core, { json: true }), { code }).catch((err: unknown) => err);
    expect(again).toBeInstanceOf(BoxofficeError);
    expect((again as BoxofficeError).code).toBe('ticket_used');
  });

  it('says the admission as JSON', async () => {
    const sold = await sellSeats(fx.core.ctx, { event: fx.event, quantity: 1, tier: tiers('Child'), payment: { method: 'comp' } });
    const io = bufferIO();
    await runCheckin(io, sessionOf(fx.core, { json: true }), { code: sold.tickets[0].code! });
    expect(JSON.parse(io.out())).toMatchObject({ verdict: 'admitted', section: 'Floor', seat: null, tier: 'Child', order: sold.code });
  });
});
