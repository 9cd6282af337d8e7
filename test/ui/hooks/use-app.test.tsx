// The app's own hooks: useSale (hold told to the runner, released on leaving), useMailRetry,
// useQuit; and the small ones the screens share, usePolling and useMounted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useSale } from '../../../src/ui/hooks/use-sale.js';
import { useMailRetry } from '../../../src/ui/hooks/use-mail-retry.js';
import { useQuit } from '../../../src/ui/hooks/use-quit.js';
import { usePolling } from '../../../src/ui/hooks/use-polling.js';
import { useMounted } from '../../../src/ui/hooks/use-mounted.js';
import { KEY, tick } from '../helpers.js';
import { fakeServices, order, renderHook, until, unmountAll } from './harness.js';

afterEach(unmountAll);

describe('useSale', () => {
  it('tells the runner how to release a hold while there is one, and releases it on leaving', async () => {
    const services = fakeServices({ release: async () => undefined });
    const told: ((() => Promise<void>) | null)[] = [];
    const onHoldChange = (r: (() => Promise<void>) | null) => void told.push(r);
    const a = renderHook(() => useSale(services, onHoldChange));
    await until(() => told.length === 1);
    expect(told[0]).toBeNull();
    a.result.current.saleDispatch({ type: 'held', order: order('ABC') });
    await until(() => told.length === 2);
    await told[1]!();
    expect(services.calls).toEqual(['release ["ABC"]']);
    await a.result.current.releaseHold();
    expect(services.calls).toEqual(['release ["ABC"]', 'release ["ABC"]']);
    expect(a.result.current.currentSale().order).toBeNull();
    await until(() => told.length === 3 && told[2] === null);
    // Nothing held: nothing to release.
    await a.result.current.releaseHold();
    expect(services.calls).toHaveLength(2);
  });

  it('a hold that cannot be released (expired, paid) is let go all the same', async () => {
    const services = fakeServices({ release: async () => Promise.reject(new Error('order ABC is paid')) });
    const a = renderHook(() => useSale(services));
    a.result.current.saleDispatch({ type: 'held', order: order('ABC') });
    await a.result.current.releaseHold();
    expect(a.result.current.currentSale().order).toBeNull();
  });
});

describe('useMailRetry', () => {
  it('retries on its timer, one round at a time, and goes on after a failed round', async () => {
    let rounds = 0;
    let running = 0;
    let most = 0;
    const retry = vi.fn(async () => {
      rounds++;
      running++;
      most = Math.max(most, running);
      await tick(50);
      running--;
      if (rounds === 1) throw new Error('smtp down');
      return 1;
    });
    renderHook(() => useMailRetry(retry, 10));
    await until(() => rounds >= 3);
    expect(most).toBe(1);
  });

  it('does nothing without a way to retry', async () => {
    renderHook(() => useMailRetry(undefined, 10));
    await tick(40);
  });
});

describe('useQuit', () => {
  it('ctrl+c releases the hold once, however often pressed', async () => {
    const release = vi.fn(async () => {
      await tick(30);
    });
    const a = renderHook(() => useQuit(release));
    await a.press(KEY.ctrl('c'), KEY.ctrl('c'), 'q');
    await tick(50);
    expect(release).toHaveBeenCalledTimes(1);
  });
});

describe('usePolling and useMounted', () => {
  it('polls at once and on the interval, and stops when unmounted', async () => {
    const poll = vi.fn();
    let mounted: { current: boolean } = { current: false };
    const a = renderHook(() => {
      mounted = useMounted();
      usePolling(poll, 15);
    });
    expect(poll).toHaveBeenCalledTimes(1);
    await until(() => poll.mock.calls.length >= 3);
    expect(mounted.current).toBe(true);
    a.unmount();
    expect(mounted.current).toBe(false);
    const calls = poll.mock.calls.length;
    await tick(50);
    expect(poll.mock.calls.length).toBe(calls);
  });
});
