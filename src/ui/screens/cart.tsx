import { Box } from 'ink';
import { Text } from '../components/text.js';
import { formatMoney } from '../../core/money.js';
import type { OrderView } from '../../core/orders/view.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary } from '../services.js';
import { type CartOptions, useCart } from '../hooks/use-cart.js';
import { Screen } from '../components/screen.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';

function countdown(ms: number): string {
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

export function CartScreen({ services, event, order, tiers, saleDispatch, currentSale, onPay, onReleased, notice: initialNotice = null }: CartOptions & { event: EventSummary }) {
  const theme = useTheme();
  const { now, cursor, notice } = useCart({ services, order, tiers, saleDispatch, currentSale, onPay, onReleased, notice: initialNotice });
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
          {placeOf(t).padEnd(placeWidth)} {`‹ ${t.tier} ›`.padEnd(tierWidth + 4)} {formatMoney(t.price, t.currency).padStart(10)}
        </Text>
      ))}
      <Text dimColor> {'─'.repeat(placeWidth + tierWidth + 18)}</Text>
      <Text bold>
        {'  '}
        {`Total (${order.tickets.length} ticket${order.tickets.length === 1 ? '' : 's'})`.padEnd(placeWidth + tierWidth + 6)}
        {formatMoney(order.total, order.currency).padStart(10)}
      </Text>
      <Box marginTop={1}>
        <Text dimColor wrap="truncate-end">
          Tiers:{' '}
          {tiers
            .filter((t) => t.prices.length)
            .map((t) => `${t.name} ${t.prices.map((p) => `${formatMoney(p.price, event.currency)}${p.zone ? ` (${p.zone})` : ''}`).join('/')}`)
            .join(' · ')}
        </Text>
      </Box>
    </Screen>
  );
}
