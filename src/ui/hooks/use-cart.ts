// The cart's state and keys: the ticket under the cursor, tier changes sent to the core one after
// another, releasing the hold, and going on to payment while the hold lasts.
import { useRef, useState } from 'react';
import type { TierView } from '../../core/events/tiers.js';
import type { OrderView } from '../../core/orders/view.js';
import type { Services } from '../services.js';
import { is } from '../key-bindings.js';
import type { SaleAction, SaleState } from '../state/sale.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useNow } from './use-now.js';
import { useKeys } from './use-keys.js';

export interface CartOptions {
  services: Services;
  order: OrderView;
  tiers: TierView[];
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  onPay(): void;
  onReleased(notice: NoticeData | null): void;
  notice?: NoticeData | null;
}

export interface Cart {
  now: Date;
  cursor: number;
  notice: NoticeData | null;
  expired: boolean;
  moveTo(index: number): void;
  /** The ticket under the cursor to the next (or previous) priced tier. */
  cycle(delta: number): void;
  release(): void;
  pay(): void;
}

export function useCart({ services, order, tiers, saleDispatch, currentSale, onPay, onReleased, notice: initialNotice = null }: CartOptions): Cart {
  const now = useNow(services.now);
  const [cursor, setCursor] = useState(0);
  const cursorRef = useRef(0);
  const [notice, setNotice] = useState<NoticeData | null>(initialNotice);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const leaving = useRef(false);
  const priced = tiers.filter((t) => t.prices.length > 0).map((t) => t.name);
  const expired = order.expiresAt !== null && Date.parse(order.expiresAt) <= now.getTime();

  const moveTo = (i: number) => {
    cursorRef.current = Math.max(0, Math.min(order.tickets.length - 1, i));
    setCursor(cursorRef.current);
  };

  // Tier changes go to the core one after another, each from the state the last one left.
  const cycle = (delta: number) => {
    const index = cursorRef.current;
    chain.current = chain.current.then(async () => {
      const held = currentSale().order;
      const ticket = held?.tickets[index];
      if (!held || !ticket || priced.length === 0) return;
      const at = priced.findIndex((n) => n.toLowerCase() === ticket.tier.toLowerCase());
      const tier = priced[(at + delta + priced.length) % priced.length];
      try {
        saleDispatch({ type: 'updated', order: await services.changeTiers(held.code, [{ ticketId: ticket.id, tier }]) });
        setNotice(null);
      } catch (err) {
        setNotice(noticeFrom(err));
      }
    });
  };

  const release = () => {
    if (leaving.current) return;
    leaving.current = true;
    chain.current = chain.current.then(async () => {
      const held = currentSale().order;
      let after: NoticeData | null = { kind: 'info', text: `Hold ${held?.code ?? ''} released: the seats are free again` };
      if (held) {
        try {
          await services.release(held.code);
        } catch (err) {
          after = noticeFrom(err);
        }
      }
      saleDispatch({ type: 'released' });
      onReleased(after);
    });
  };

  const pay = () => {
    if (expired) return void setNotice({ kind: 'error', text: `The hold on ${order.code} has expired`, hint: 'esc goes back to the map to pick again' });
    chain.current = chain.current.then(() => onPay());
  };

  useKeys((input, key) => {
    if (key.ctrl || leaving.current) return;
    if (is('listUp', input, key)) return moveTo(cursorRef.current - 1);
    if (is('listDown', input, key)) return moveTo(cursorRef.current + 1);
    if (is('cycleTier', input, key)) return cycle(1);
    if (is('cycleTierBack', input, key)) return cycle(-1);
    if (is('releaseHold', input, key)) return release();
    if (is('toPayment', input, key)) return pay();
  });

  return { now, cursor, notice, expired, moveTo, cycle, release, pay };
}
