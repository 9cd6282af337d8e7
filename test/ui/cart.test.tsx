// The cart: the seats are held by the core while the clerk chooses tiers; the total follows the
// core's prices; the hold counts down; leaving releases it.
import { afterEach, describe, expect, it } from 'vitest';
import { showOrder } from '../../src/core/orders/view.js';
import { holdTwoSeats, KEY, onlyOrderCode, renderApp, uiCore, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

async function toCart(options: Parameters<typeof renderApp>[1] = {}) {
  const app = renderApp(fx, options);
  await holdTwoSeats(app);
  return { app, code: await onlyOrderCode(fx, 'pending') };
}

describe('cart', () => {
  it('cycles a ticket through the tiers; the core reprices and the total follows', async () => {
    fx = await uiCore();
    const { app, code } = await toCart();
    let f = app.frame();
    expect(f).toMatch(/A-11\s+‹ Adult ›\s+€25.00/);
    expect(f).toMatch(/Total \(2 tickets\)\s+€50.00/);
    expect(f).toContain('t/space tier');
    await app.press(KEY.down, 't');
    f = await app.see(/A-12\s+‹ Child ›\s+€12.50/);
    expect(f).toMatch(/Total \(2 tickets\)\s+€37.50/);
    let order = await showOrder(fx.ctx, code);
    expect(order.total).toBe(3750);
    expect(order.tickets.map((t) => t.tier)).toEqual(['Adult', 'Child']);
    expect(order.status).toBe('pending');
    await app.press('t');
    await app.see(/A-12\s+‹ Adult ›/);
    await app.press('T');
    await app.see(/A-12\s+‹ Child ›/);
    order = await showOrder(fx.ctx, code);
    expect(order.tickets.map((t) => t.tier)).toEqual(['Adult', 'Child']);
    const events = await fx.handle.db.selectFrom('outbox').select('type').where('type', '=', 'order.tiers_changed').execute();
    expect(events).toHaveLength(3);
    app.unmount();
  });

  it('counts the hold down and refuses to go on once it has expired', async () => {
    fx = await uiCore();
    const { app, code } = await toCart();
    await app.see('hold expires in 15:00');
    fx.clock.advance(14);
    await app.see('hold expires in 1:00');
    fx.clock.advance(2);
    await app.see('hold expired — the seats are back on sale');
    await app.press(KEY.enter);
    await app.see(`The hold on ${code} has expired`);
    expect(app.frame()).toContain('held for this sale');
    app.unmount();
  });

  it('esc releases the hold through the core and goes back to the map with the pick kept', async () => {
    fx = await uiCore();
    const { app, code } = await toCart();
    await app.press(KEY.escape);
    const f = await app.see(`Hold ${code} released`);
    expect(f).toContain('Picked (2): A-11, A-12');
    expect(f).toContain('[Stalls 200 free]');
    const order = await showOrder(fx.ctx, code);
    expect(order.status).toBe('cancelled');
    const claims = await fx.handle.db.selectFrom('seat_claims').selectAll().execute();
    expect(claims).toHaveLength(0);
    app.unmount();
  });

  it('quitting with ctrl+c releases the hold too', async () => {
    fx = await uiCore();
    const { app, code } = await toCart();
    await app.press(KEY.ctrl('c'));
    for (let i = 0; i < 100 && (await showOrder(fx.ctx, code)).status === 'pending'; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await showOrder(fx.ctx, code)).status).toBe('cancelled');
    app.unmount();
  });
});
