// usePayment on fake services: the form's keys, an amount refused before the core is asked, one
// idempotency key across retries, the core's refusal shown, and esc back to the cart.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxofficeError } from '../../../src/core/errors.js';
import type { SaleResult } from '../../../src/core/orders/sale.js';
import type { Services } from '../../../src/ui/services.js';
import { usePayment } from '../../../src/ui/hooks/use-payment.js';
import { KEY } from '../helpers.js';
import { fakeServices, order, renderHook, ticket, until, unmountAll } from './harness.js';

const HELD = order('ABC', { tickets: [ticket(1, 'A-1')], expiresAt: '2030-01-01T10:15:00Z' });
const paid = (): SaleResult => ({ ...HELD, status: 'paid', paid: 2500, idempotencyKey: 'key-1', replayed: false });

function paymentHarness(services: Services) {
  const onPaid = vi.fn();
  const onBack = vi.fn();
  const app = renderHook(() => usePayment({ services, order: HELD, onPaid, onBack }));
  return Object.assign(app, { onPaid, onBack });
}

let app: ReturnType<typeof paymentHarness> | undefined;
afterEach(unmountAll);

const pays = (services: { calls: string[] }) => services.calls.filter((c) => c.startsWith('pay'));

describe('usePayment', () => {
  it('picks the method by key and types into the next field; enter pays with the email and the attempt key', async () => {
    const services = fakeServices({ pay: async () => paid() });
    app = paymentHarness(services);
    expect(app.result.current.state).toMatchObject({ method: 'cash', field: 'detail', key: 'key-1' });
    // Letters in the tendered field are typed, not methods; shift+tab reaches the method row.
    await app.press('k');
    expect(app.result.current.state).toMatchObject({ method: 'cash', tendered: 'k' });
    await app.press(KEY.backspace, KEY.shiftTab, 'k');
    expect(app.result.current.state).toMatchObject({ method: 'card', field: 'detail' });
    await app.type('REF9');
    await app.press(KEY.tab);
    await app.type('a@b.example');
    await app.press(KEY.backspace);
    await app.type('e');
    expect(app.result.current.state).toMatchObject({ cardRef: 'REF9', email: 'a@b.example', field: 'email' });
    await app.press(KEY.enter);
    await until(() => app!.onPaid.mock.calls.length === 1);
    expect(pays(services)).toHaveLength(1);
    expect(pays(services)[0]).toMatch(/^pay \["ABC",.*"REF9".*\{"email":"a@b.example"\},"key-1"\]$/);
    expect(app.onPaid.mock.calls[0][0].code).toBe('ABC');
  });

  it('shows taking payment while the core answers, and takes no keys meanwhile', async () => {
    let answer: (r: SaleResult) => void = () => undefined;
    const services = fakeServices({ pay: () => new Promise<SaleResult>((resolve) => (answer = resolve)) });
    app = paymentHarness(services);
    await app.press(KEY.enter);
    await until(() => app!.result.current.notice?.text === 'Taking payment…');
    await app.press(KEY.enter, KEY.escape);
    expect(pays(services)).toHaveLength(1);
    expect(app.onBack).not.toHaveBeenCalled();
    answer(paid());
    await until(() => app!.onPaid.mock.calls.length === 1);
  });

  it('a cash amount the core would refuse is not sent', async () => {
    const services = fakeServices({ pay: async () => paid() });
    app = paymentHarness(services);
    await app.type('abc');
    await app.press(KEY.enter);
    await until(() => app!.result.current.notice !== null);
    expect(app.result.current.notice?.kind).toBe('error');
    expect(app.result.current.notice?.text).toMatch(/^Tendered: /);
    expect(app.result.current.notice?.hint).toBe('fix the amount, then enter');
    expect(pays(services)).toHaveLength(0);
  });

  it("the core's refusal shows, and the retry sends the same key", async () => {
    let refuse = true;
    const services = fakeServices({
      pay: async () => {
        if (refuse) throw new BoxofficeError('forbidden', 'comp is for managers');
        return paid();
      },
    });
    app = paymentHarness(services);
    await app.press(KEY.enter);
    await until(() => app!.result.current.notice?.kind === 'error');
    expect(app.result.current.notice).toMatchObject({ text: 'comp is for managers' });
    refuse = false;
    await app.press(KEY.enter);
    await until(() => app!.onPaid.mock.calls.length === 1);
    expect(pays(services).map((c) => c.endsWith('"key-1"]'))).toEqual([true, true]);
  });

  it('esc goes back to the cart with nothing to say', async () => {
    app = paymentHarness(fakeServices());
    await app.press(KEY.escape);
    expect(app.onBack).toHaveBeenCalledWith(null);
  });
});
