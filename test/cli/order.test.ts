// The order commands as run functions over a core fixture, through a buffered IO.
import { describe, expect, it } from 'vitest';
import { galaEachTest, refusal, sessionOf } from '../helpers/session.js';
import { seats, tiers } from '../helpers/requests.js';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { cliWords } from '../../src/cli/runtime/refusals.js';
import { holdSeats, sellSeats } from '../../src/core/orders/sale.js';
import { runShow } from '../../src/cli/cmd/order/show.js';
import { runList } from '../../src/cli/cmd/order/list.js';
import { runFind } from '../../src/cli/cmd/order/find.js';
import { runPay } from '../../src/cli/cmd/order/pay.js';
import { runCancel } from '../../src/cli/cmd/order/cancel.js';
import { runRefund } from '../../src/cli/cmd/order/refund.js';
import { runExpire } from '../../src/cli/cmd/order/expire.js';

const fx = galaEachTest();

const sale = (where: string, email?: string) =>
  sellSeats(fx.core.ctx, { event: fx.event, seats: seats(where), tier: tiers('Adult'), payment: { method: 'cash' }, email, name: email ? 'Ana Silva' : undefined });
const hold = (where: string) => holdSeats(fx.core.ctx, { event: fx.event, seats: seats(where), tier: tiers('Adult') });

describe('order show, list and find', () => {
  it('shows one order, lists them all, finds one by name', async () => {
    const sold = await sale('A-1', 'ana@example.com');
    await sale('A-2');
    const show = bufferIO();
    await runShow(show, sessionOf(fx.core), { code: sold.code.toLowerCase() });
    expect(show.out()).toContain(`order     ${sold.code}`);
    const list = bufferIO();
    await runList(list, sessionOf(fx.core, { json: true }), { status: 'paid' });
    expect(JSON.parse(list.out())).toHaveLength(2);
    const find = bufferIO();
    await runFind(find, sessionOf(fx.core, { json: true }), { text: 'Silva' });
    expect(JSON.parse(find.out()).map((o: { code: string }) => o.code)).toEqual([sold.code]);
    expect((await refusal(runList(bufferIO(), sessionOf(fx.core), { status: 'nope' }))).hint).toBe('use one of: pending, paid, cancelled, expired, refunded, partially_refunded');
    expect(cliWords(await refusal(runShow(bufferIO(), sessionOf(fx.core), { code: 'ZZZZZZ' }))).hint).toBe('find it with: boxoffice order find <name, email or code>');
  });
});

describe('order pay and cancel', () => {
  it('pays a hold with cash tendered in its currency; a card without its reference names the flag', async () => {
    const held = await hold('B-1');
    const card = await refusal(runPay(bufferIO(), sessionOf(fx.core), { code: held.code, pay: 'card' }));
    expect(cliWords(card).message).toBe('a card payment needs the terminal reference: --card-ref R');
    const io = bufferIO();
    await runPay(io, sessionOf(fx.core, { json: true }), { code: held.code, pay: 'cash', tendered: '30' });
    expect(JSON.parse(io.out()).payments[0]).toMatchObject({ tendered: 3000, change: 500 });
  });

  it('cancels a hold; a paid order is refunded instead', async () => {
    const held = await hold('B-2');
    const io = bufferIO();
    await runCancel(io, sessionOf(fx.core), { code: held.code });
    expect(io.out()).toMatch(new RegExp(`^Order ${held.code} is cancelled; its seats are free again`));
    const sold = await sale('B-3');
    const err = await refusal(runCancel(bufferIO(), sessionOf(fx.core), { code: sold.code }));
    expect(cliWords(err)).toEqual({ message: `order ${sold.code} is paid: refund it instead`, hint: `boxoffice order refund ${sold.code}` });
  });
});

describe('order refund and expire', () => {
  it('rehearses a refund, then makes it; an amount is read in the order currency', async () => {
    const sold = await sale('C-1,C-2');
    const dry = bufferIO();
    await runRefund(dry, sessionOf(fx.core), { code: sold.code, amount: '5.00', dryRun: true });
    expect(dry.out()).toMatch(/^Dry run: would refund €5\.00 \(cash\)/);
    const io = bufferIO();
    await runRefund(io, sessionOf(fx.core), { code: sold.code, tickets: sold.tickets[0].code!, yes: true });
    expect(io.out()).toMatch(/^Refunded €25\.00 \(cash\)/);
    const both = await refusal(runRefund(bufferIO(), sessionOf(fx.core), { code: sold.code, tickets: 'X', amount: '1', yes: true }));
    expect(cliWords(both).message).toBe('refund either --tickets or --amount, not both');
  });

  it('expires lapsed holds', async () => {
    const held = await hold('D-1');
    fx.core.clock.advance(16);
    const io = bufferIO();
    await runExpire(io, sessionOf(fx.core));
    expect(io.err()).toBe(`Expired 1 hold(s): ${held.code}\n`);
  });
});
