// useReceiptActions and useQrCode: the after-sale actions this build has, one at a time, saying
// what they did; the missing ones said so; n and esc leave; the first ticket's QR made once shown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SaleResult } from '../../../src/core/orders/sale.js';
import type { Services, TicketActions } from '../../../src/ui/services.js';
import { useReceiptActions } from '../../../src/ui/hooks/use-receipt-actions.js';
import { qrText, useQrCode } from '../../../src/ui/hooks/use-qr-code.js';
import { KEY } from '../helpers.js';
import { fakeServices, order, renderHook, until, unmountAll } from './harness.js';

const RESULT: SaleResult = { ...order('ABC'), status: 'paid', idempotencyKey: 'k', replayed: false };

function receiptHarness(services: Services) {
  const onNext = vi.fn();
  const onEvents = vi.fn();
  const app = renderHook(() => useReceiptActions({ services, result: RESULT, onNext, onEvents }));
  return Object.assign(app, { onNext, onEvents });
}

afterEach(unmountAll);

describe('useReceiptActions', () => {
  it('runs an action once at a time and shows what it did', async () => {
    let done: (m: string) => void = () => undefined;
    const print = vi.fn((_code: string) => new Promise<string>((resolve) => (done = resolve)));
    const tickets: TicketActions = { print };
    const a = receiptHarness(fakeServices({ tickets }));
    expect(a.result.current.missing).toEqual(['email', 'savePdf']);
    await a.press('p');
    expect(a.result.current.notice).toEqual({ kind: 'info', text: 'Printing…' });
    await a.press('p');
    expect(print).toHaveBeenCalledTimes(1);
    expect(print).toHaveBeenCalledWith('ABC');
    done('Sent to the printer');
    await until(() => a.result.current.notice?.kind === 'ok');
    expect(a.result.current.notice).toEqual({ kind: 'ok', text: 'Sent to the printer' });
    await a.press('p');
    expect(print).toHaveBeenCalledTimes(2);
  });

  it('a failed action shows its refusal; a missing one says it is not in this build', async () => {
    const a = receiptHarness(fakeServices({ tickets: { email: async () => Promise.reject(new Error('no mail server')) } }));
    await a.press('e');
    await until(() => a.result.current.notice?.kind === 'error');
    expect(a.result.current.notice).toMatchObject({ text: 'no mail server' });
    await a.press('s');
    expect(a.result.current.notice).toEqual({ kind: 'info', text: 'Saving a PDF is not available in this build yet', hint: 'the order is paid and its tickets are valid' });
  });

  it('n is the next sale, esc the events', async () => {
    const a = receiptHarness(fakeServices());
    await a.press('n', KEY.escape);
    expect(a.onNext).toHaveBeenCalledTimes(1);
    expect(a.onEvents).toHaveBeenCalledTimes(1);
  });
});

describe('useQrCode', () => {
  it('is null without a code, and the QR of the code once made', async () => {
    const none = renderHook(() => useQrCode(undefined));
    expect(none.result.current).toBeNull();
    none.unmount();
    const a = renderHook(() => useQrCode('CODE1'));
    await until(() => a.result.current !== null, 4000);
    expect(a.result.current).toBe(await qrText('CODE1'));
    expect(a.result.current).not.toMatch(/\n$/);
  });
});
