// The cart: the held seats with their tiers, the total, and how long the hold has left. The
// seats are already held by the core; leaving releases them.
import React, { useRef, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { TierView } from '../../core/events/tiers.js';
import { formatMoney } from '../../core/money.js';
import type { OrderView } from '../../core/orders/view.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { is } from '../key-bindings.js';
import { useNow } from '../hooks/use-now.js';
import type { SaleAction, SaleState } from '../state/sale.js';
import { Screen } from '../components/screen.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';
import { useKeys } from '../hooks/use-keys.js';

export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function placeOf(t: OrderView['tickets'][number]): string {
  return t.seat ?? `${t.section} (standing)`;
}

export function HoldCountdown({ order, now }: { order: OrderView; now: Date }) {
  const theme = useTheme();
  if (!order.expiresAt) return null;
  const left = Date.parse(order.expiresAt) - now.getTime();
  if (left <= 0) {
    return (
      <Text bold color={theme.bad}>
        ✖ hold expired — the seats are back on sale
      </Text>
    );
  }
  return (
    <Text color={left < 120_000 ? theme.warn : undefined} bold={left < 120_000}>
      ⏱ hold expires in {countdown(left)}
    </Text>
  );
}

export function CartScreen({
  services,
  event,
  order,
  tiers,
  saleDispatch,
  currentSale,
  onPay,
  onReleased,
  notice: initialNotice = null,
}: {
  services: Services;
  event: EventSummary;
  order: OrderView;
  tiers: TierView[];
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  onPay(): void;
  onReleased(notice: NoticeData | null): void;
  notice?: NoticeData | null;
}) {
  const theme = useTheme();
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

  useKeys((input, key) => {
    if (key.ctrl || leaving.current) return;
    if (is('listUp', input, key)) return moveTo(cursorRef.current - 1);
    if (is('listDown', input, key)) return moveTo(cursorRef.current + 1);
    if (is('cycleTier', input, key)) return cycle(1);
    if (is('cycleTierBack', input, key)) return cycle(-1);
    if (is('releaseHold', input, key)) return release();
    if (is('toPayment', input, key)) {
      if (expired) return void setNotice({ kind: 'error', text: `The hold on ${order.code} has expired`, hint: 'esc goes back to the map to pick again' });
      chain.current = chain.current.then(() => onPay());
    }
  });

  const placeWidth = Math.max(8, ...order.tickets.map((t) => placeOf(t).length));
  const tierWidth = Math.max(10, ...order.tickets.map((t) => t.tier.length));
  return (
    <Screen title={`cart · ${event.name}`} right={humanTime(event.startsAt, event.timezone)} actor={services.actor} legend="cart" notice={notice}>
      <Text>
        Order <Text bold>{order.code}</Text> · held for this sale · <HoldCountdown order={order} now={now} />
      </Text>
      <Gap />
      {order.tickets.map((t, i) => (
        <Text key={t.id} bold={i === cursor}>
          <Text color={i === cursor ? theme.accent : undefined}>{i === cursor ? '› ' : '  '}</Text>
          {placeOf(t).padEnd(placeWidth)}  {`‹ ${t.tier} ›`.padEnd(tierWidth + 4)}  {formatMoney(t.price, t.currency).padStart(10)}
        </Text>
      ))}
      <Text dimColor>  {'─'.repeat(placeWidth + tierWidth + 18)}</Text>
      <Text bold>
        {'  '}
        {`Total (${order.tickets.length} ticket${order.tickets.length === 1 ? '' : 's'})`.padEnd(placeWidth + tierWidth + 6)}
        {formatMoney(order.total, order.currency).padStart(10)}
      </Text>
      <Box marginTop={1}>
        <Text dimColor wrap="truncate-end">
          Tiers: {tiers.filter((t) => t.prices.length).map((t) => `${t.name} ${t.prices.map((p) => `${formatMoney(p.price, event.currency)}${p.zone ? ` (${p.zone})` : ''}`).join('/')}`).join(' · ')}
        </Text>
      </Box>
    </Screen>
  );
}
