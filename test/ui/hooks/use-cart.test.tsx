// useCart on fake services: the cursor, tier changes in order from the latest order, release, and
// payment refused once the hold has expired.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxofficeError } from '../../../src/core/errors.js';
import type { OrderView } from '../../../src/core/orders/view.js';
import type { Services } from '../../../src/ui/services.js';
import type { NoticeData } from '../../../src/ui/components/notice.js';
import { useCart } from '../../../src/ui/hooks/use-cart.js';
import { useSyncReducer } from '../../../src/ui/hooks/use-sync-reducer.js';
import { emptySale, saleReducer } from '../../../src/ui/state/sale.js';
import { KEY } from '../helpers.js';
import { TIERS, fakeServices, order, renderHook, ticket, until, unmountAll } from './harness.js';

const HELD = order('ABC', { tickets: [ticket(1, 'A-1'), ticket(2, 'A-2')], expiresAt: '2030-01-01T10:15:00Z' });

function cartHarness(services: Services, held: OrderView = HELD) {
  const onPay = vi.fn();
  const released: (NoticeData | null)[] = [];
  const app = renderHook(() => {
    const [sale, saleDispatch, currentSale] = useSyncReducer(saleReducer, { ...emptySale, order: held });
    const cart = useCart({ services, order: sale.order ?? held, tiers: TIERS, saleDispatch, currentSale, onPay, onReleased: (n) => released.push(n), notice: null });
    return { sale, cart };
  });
  return Object.assign(app, { onPay, released });
}

let app: ReturnType<typeof cartHarness> | undefined;
afterEach(unmountAll);

/** changeTiers as the core would answer: the order with that ticket's tier changed. */
function retier(current: () => OrderView) {
  return async (_code: string, changes: { ticketId: number; tier: string }[]) => {
    const o = current();
    return { ...o, tickets: o.tickets.map((t) => (changes.some((c) => c.ticketId === t.id) ? { ...t, tier: changes[0].tier } : t)) };
  };
}

describe('useCart', () => {
  it('moves the cursor within the tickets', async () => {
    app = cartHarness(fakeServices());
    await app.press(KEY.down, KEY.down, KEY.down);
    expect(app.result.current.cart.cursor).toBe(1);
    await app.press(KEY.up, KEY.up);
    expect(app.result.current.cart.cursor).toBe(0);
  });

  it('t and T cycle the ticket under the cursor through the priced tiers, each change from the last one', async () => {
    let latest = HELD;
    const services = fakeServices({
      changeTiers: async (code, changes) => {
        latest = await retier(() => latest)(code, changes);
        return latest;
      },
    });
    app = cartHarness(services);
    await app.press(KEY.down, 't', 't');
    await until(() => services.calls.length === 2);
    // Adult → Child → Adult: Guest has no price and is skipped; the second change saw the first.
    expect(services.calls).toEqual([`changeTiers ["ABC",[{"ticketId":2,"tier":"Child"}]]`, `changeTiers ["ABC",[{"ticketId":2,"tier":"Adult"}]]`]);
    await app.press('T');
    await until(() => app!.result.current.sale.order?.tickets[1].tier === 'Child');
  });

  it('a refused tier change shows as a notice', async () => {
    app = cartHarness(fakeServices({ changeTiers: async () => Promise.reject(new BoxofficeError('invalid_state', 'order ABC is not pending')) }));
    await app.press('t');
    await until(() => app!.result.current.cart.notice !== null);
    expect(app.result.current.cart.notice).toMatchObject({ kind: 'error', text: 'order ABC is not pending' });
  });

  it('esc releases the hold once and leaves with what happened; keys after it do nothing', async () => {
    const services = fakeServices({ release: async () => undefined });
    app = cartHarness(services);
    await app.press(KEY.escape, KEY.escape, KEY.enter);
    await until(() => app!.released.length === 1);
    expect(services.calls).toEqual(['release ["ABC"]']);
    expect(app.released).toEqual([{ kind: 'info', text: 'Hold ABC released: the seats are free again' }]);
    expect(app.result.current.sale.order).toBeNull();
    expect(app.onPay).not.toHaveBeenCalled();
  });

  it('a failed release leaves with the refusal', async () => {
    app = cartHarness(fakeServices({ release: async () => Promise.reject(new BoxofficeError('invalid_state', 'order ABC is paid')) }));
    app.result.current.cart.release();
    await until(() => app!.released.length === 1);
    expect(app.released[0]).toMatchObject({ kind: 'error', text: 'order ABC is paid' });
  });

  it('enter goes to payment while the hold lasts, and says it expired after', async () => {
    app = cartHarness(fakeServices());
    expect(app.result.current.cart.expired).toBe(false);
    await app.press(KEY.enter);
    await until(() => app!.onPay.mock.calls.length === 1);
    app.unmount();
    app = cartHarness(fakeServices(), { ...HELD, expiresAt: '2030-01-01T09:59:00Z' });
    expect(app.result.current.cart.expired).toBe(true);
    await app.press(KEY.enter);
    expect(app.result.current.cart.notice).toEqual({ kind: 'error', text: 'The hold on ABC has expired', hint: 'esc goes back to the map to pick again' });
    expect(app.onPay).not.toHaveBeenCalled();
  });
});
