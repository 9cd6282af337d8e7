// Payment on the held order: cash with change, card with its reference, comp for managers only
// (the core says so), one idempotency key per attempt, and a declined or abandoned payment that
// leaves the hold as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { addStaff } from '../../src/core/staff/staff.js';
import type { Actor } from '../../src/core/staff/permissions.js';
import { showOrder } from '../../src/core/orders/view.js';
import { createServices } from '../../src/ui/services.js';
import { holdAndPay, KEY, onlyOrderCode, renderApp, uiCore, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

async function toPayment(options: Parameters<typeof renderApp>[1] = {}) {
  const app = renderApp(fx, options);
  await holdAndPay(app);
  return { app, code: await onlyOrderCode(fx, 'pending') };
}

async function payments(code: string) {
  return (await showOrder(fx.ctx, code)).payments;
}

describe('payment', () => {
  it('cash: the change due as the amount is typed, then the paid order and its change on record', async () => {
    fx = await uiCore();
    const { app, code } = await toPayment();
    let f = app.frame();
    expect(f).toContain('(•) cash');
    expect(f).toContain('exact amount (no change)');
    await app.type('40');
    await app.see('short by €10.00');
    await app.press(KEY.enter);
    f = await app.see('tendered €40.00 is less than the total €50.00');
    expect((await showOrder(fx.ctx, code)).status).toBe('pending');
    await app.press(KEY.backspace, KEY.backspace);
    await app.type('60');
    await app.see('Change due    €10.00');
    await app.press(KEY.tab);
    await app.type('ana@example.com');
    await app.press(KEY.enter);
    f = await app.see('✔ PAID');
    expect(f).toContain('cash · tendered €60.00 · change €10.00');
    const order = await showOrder(fx.ctx, code);
    expect(order.status).toBe('paid');
    expect(order.channel).toBe('tui');
    expect(order.customer?.email).toBe('ana@example.com');
    expect(order.payments).toMatchObject([{ method: 'cash', amount: 5000, tendered: 6000, change: 1000 }]);
    app.unmount();
  });

  it('cash typed with a comma is shown as typed and explained, and Enter takes nothing until it is fixed', async () => {
    fx = await uiCore();
    let calls = 0;
    const { app, code } = await toPayment({
      makeServices: (a) => {
        const s = createServices(fx.base, a);
        return { ...s, pay: async (...args: Parameters<typeof s.pay>) => (calls++, s.pay(...args)) };
      },
    });
    await app.type('60,5');
    let f = await app.see('Change due    use a dot for decimals: 60.50');
    // Nothing typed is dropped: the field shows the comma the clerk typed.
    expect(f).toMatch(/Tendered\s+60,5/);
    expect(f).not.toMatch(/Tendered\s+605/);
    await app.press(KEY.enter);
    f = await app.see('✖ Tendered: use a dot for decimals: 60.50');
    expect(f).toContain('take payment');
    expect(f).not.toContain('PAID');
    expect(calls).toBe(0);
    expect((await showOrder(fx.ctx, code)).status).toBe('pending');
    expect(await payments(code)).toHaveLength(0);

    // Anything else parseMoney refuses is refused the same way, in words for the till.
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await app.type('€60');
    await app.see('type the amount in digits, with a dot for decimals (e.g. 60.50), not "€60"');
    await app.press(KEY.enter);
    await app.see('✖ Tendered: type the amount in digits');
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace);
    await app.type('60.505');
    await app.see('tendered 60.505 has more decimals than EUR allows (2)');
    await app.press(KEY.enter);
    await app.see('✖ Tendered: tendered 60.505 has more decimals');
    expect(calls).toBe(0);

    await app.press(KEY.backspace);
    await app.see('Change due    €10.50');
    await app.press(KEY.enter);
    f = await app.see('✔ PAID');
    expect(f).toContain('cash · tendered €60.50 · change €10.50');
    expect(await payments(code)).toMatchObject([{ method: 'cash', amount: 5000, tendered: 6050, change: 1050 }]);
    app.unmount();
  });

  it('card needs the terminal reference: the core says so, then takes it', async () => {
    fx = await uiCore();
    const { app, code } = await toPayment();
    await app.press(KEY.up, 'k');
    await app.see('(•) card');
    await app.press(KEY.enter);
    // The core's message names the command-line flag; the screen names the field instead.
    const f = await app.see('a card payment needs the terminal reference: type it in Card ref');
    expect(f).not.toContain('--card-ref');
    expect(await payments(code)).toHaveLength(0);
    await app.type('AUTH-7731');
    await app.press(KEY.enter);
    await app.see('card · ref AUTH-7731');
    expect(await payments(code)).toMatchObject([{ method: 'card', amount: 5000, reference: 'AUTH-7731' }]);
    app.unmount();
  });

  it('comp: refused to a clerk with the core message, given by a manager', async () => {
    fx = await uiCore();
    await addStaff(fx.ctx, { name: 'Ana', role: 'admin', pin: '4821' });
    const ana: Actor = { staffId: 1, name: 'Ana', role: 'admin' };
    await addStaff({ ...fx.ctx, actor: ana }, { name: 'Carl', role: 'clerk', pin: '1111' });
    await addStaff({ ...fx.ctx, actor: ana }, { name: 'Mia', role: 'manager', pin: '2222' });
    const carl: Actor = { staffId: 2, name: 'Carl', role: 'clerk' };
    const { app, code } = await toPayment({ actor: carl });
    await app.press(KEY.up, 'm');
    await app.see('(•) comp (manager)');
    await app.press(KEY.enter);
    await app.see('Carl (clerk) may not give complimentary tickets');
    expect((await showOrder(fx.ctx, code)).status).toBe('pending');
    // Carl quits: his hold is released, and a manager sells the same seats.
    await app.press(KEY.ctrl('c'));
    for (let i = 0; i < 100 && (await showOrder(fx.ctx, code)).status === 'pending'; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await showOrder(fx.ctx, code)).status).toBe('cancelled');
    app.unmount();

    const mia: Actor = { staffId: 3, name: 'Mia', role: 'manager' };
    const second = await toPaymentAgain(mia);
    await second.app.press(KEY.up, 'm', KEY.enter);
    await second.app.see('comp · nothing charged');
    const order = await showOrder(fx.ctx, second.code);
    expect(order.status).toBe('paid');
    expect(order.paid).toBe(0);
    expect(order.tickets.every((t) => t.price > 0)).toBe(true);
    second.app.unmount();
  });

  it('a double Enter charges once: the second is ignored while the first runs, and the key is the same on retry', async () => {
    fx = await uiCore();
    const keys: string[] = [];
    let calls = 0;
    const { app, code } = await toPayment({
      makeServices: (a) => {
        const s = createServices(fx.base, a);
        return {
          ...s,
          pay: async (c, p, b, key) => {
            calls++;
            keys.push(key);
            return s.pay(c, p, b, key);
          },
        };
      },
    });
    await app.type('1');
    await app.press(KEY.enter);
    await app.see('is less than the total');
    await app.press(KEY.backspace);
    await app.type('50');
    app.stdin.write('\r\r');
    await app.see('✔ PAID');
    expect(await payments(code)).toHaveLength(1);
    expect(calls).toBe(2);
    expect(keys[0]).toBe(keys[1]);
    // The same key and request again is the first result, not a second charge.
    const again = await createServices(fx.base, fx.ctx.actor).pay(code, { method: 'cash', tendered: 5000 }, {}, keys[1]);
    expect(again.replayed).toBe(true);
    expect(await payments(code)).toHaveLength(1);
    app.unmount();
  });

  it('a declined card: esc goes back to the cart with the hold as it was', async () => {
    fx = await uiCore();
    const { app, code } = await toPayment();
    await app.press(KEY.up, 'k');
    await app.type('DECLINED');
    await app.press(KEY.escape);
    const f = await app.see('held for this sale');
    expect(f).toContain(code);
    const order = await showOrder(fx.ctx, code);
    expect(order.status).toBe('pending');
    expect(order.payments).toHaveLength(0);
    const claims = await fx.handle.db.selectFrom('seat_claims').select('status').execute();
    expect(claims.map((c) => c.status)).toEqual(['held', 'held']);
    app.unmount();
  });
});

async function toPaymentAgain(actor: Actor) {
  return toPayment({ actor });
}
