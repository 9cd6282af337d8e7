// hold and sell as run functions: the flags as typed, parsed by the command line, the output
// through a buffered IO, refusals in the command line's words.
import { describe, expect, it } from 'vitest';
import { galaEachTest, refusal, sessionOf } from '../helpers/session.js';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { cliWords } from '../../src/cli/runtime/refusals.js';
import { runHold } from '../../src/cli/cmd/sale/hold.js';
import { runSell } from '../../src/cli/cmd/sale/sell.js';

const fx = galaEachTest();

describe('runSell', () => {
  it('sells the seats typed, tiers in seat order, cash tendered in the event currency', async () => {
    const io = bufferIO();
    await runSell(io, sessionOf(fx.core, { json: true }), { event: fx.event, seats: 'A-1,A-2', tier: 'Adult=1,Child=1', pay: 'cash', tendered: '50.00' });
    const order = JSON.parse(io.out());
    expect(order).toMatchObject({ status: 'paid', total: 3750, replayed: false });
    expect(order.tickets.map((t: { seat: string; tier: string }) => `${t.seat} ${t.tier}`)).toEqual(['A-1 Adult', 'A-2 Child']);
    expect(order.payments[0]).toMatchObject({ method: 'cash', tendered: 5000, change: 1250 });
  });

  it('says the sale for people, and a retry with the same key as the same order', async () => {
    const first = bufferIO();
    const opts = { event: fx.event, best: '2', tier: 'Adult', pay: 'card', cardRef: '8841', idempotencyKey: 'till-1' };
    await runSell(first, sessionOf(fx.core), opts);
    expect(first.out()).toMatch(/^Sold order [0-9A-Z]{6}/);
    const again = bufferIO();
    await runSell(again, sessionOf(fx.core), { ...opts, best: '2' });
    expect(again.out()).toMatch(/already made with this idempotency key; nothing charged again/);
  });

  it('refuses malformed flags and words the core’s reasons with the flags to type', async () => {
    const session = sessionOf(fx.core);
    expect((await refusal(runSell(bufferIO(), session, { event: fx.event, seats: 'A12', tier: 'Adult', pay: 'cash' }))).message).toBe('malformed seat "A12"');
    expect((await refusal(runSell(bufferIO(), session, { event: fx.event, seats: 'A-1', best: '2', tier: 'Adult', pay: 'cash' }))).message).toBe(
      'choose seats with exactly one of --seats, --best N or --quantity N',
    );
    expect((await refusal(runSell(bufferIO(), session, { event: fx.event, seats: 'A-1', tier: 'Adult', pay: 'card', tendered: '5' }))).message).toBe('--tendered is for cash payments');
    const card = await refusal(runSell(bufferIO(), session, { event: fx.event, seats: 'A-1', tier: 'Adult', pay: 'card' }));
    expect(cliWords(card).message).toBe('a card payment needs the terminal reference: --card-ref R');
    const ga = await refusal(runSell(bufferIO(), session, { event: fx.event, best: '2', section: 'Floor', tier: 'Adult', pay: 'cash' }));
    expect(cliWords(ga).message).toBe('section Floor is general admission: use --quantity');
    const decimals = await refusal(runSell(bufferIO(), session, { event: fx.event, seats: 'A-1', tier: 'Adult', pay: 'cash', tendered: '10.001' }));
    expect(decimals.message).toBe('tendered 10.001 has more decimals than EUR allows (2)');
  });
});

describe('runHold', () => {
  it('holds the places and says until when to pay', async () => {
    const io = bufferIO();
    await runHold(io, sessionOf(fx.core), { event: fx.event, quantity: '2', section: 'Floor', tier: 'Adult', minutes: '30' });
    expect(io.out()).toMatch(/^Held order [0-9A-Z]{6}\n(.*\n)* {2}Floor \(standing\) Adult +€25\.00 {2}held\n/);
    expect(io.err()).toMatch(/^Pay before 12:30:00 \(Europe\/Lisbon\): boxoffice order pay [0-9A-Z]{6} --pay cash\n$/);
  });

  it('a hold with several tiers and none chosen names the flag', async () => {
    const err = await refusal(runHold(bufferIO(), sessionOf(fx.core), { event: fx.event, seats: 'B-1' }));
    expect(cliWords(err).message).toBe('say which tier: --tier Adult|Child');
    expect((await refusal(runHold(bufferIO(), sessionOf(fx.core), { event: fx.event, seats: 'B-1', tier: 'Adult', minutes: '0' }))).message).toBe(
      '--minutes must be a whole number of at least 1, not "0"',
    );
  });
});
