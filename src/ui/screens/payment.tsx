import { Box } from 'ink';
import { Text } from '../components/text.js';
import { formatMoney, parseMoney } from '../../core/money.js';
import type { SaleResult } from '../../core/orders/sale.js';
import type { OrderView } from '../../core/orders/view.js';
import type { EventSummary, Services } from '../services.js';
import { usePayment } from '../hooks/use-payment.js';
import { METHODS, tenderedProblem, type Method, type PaymentState } from '../state/payment.js';
import { Screen } from '../components/screen.js';
import { TextField } from '../components/text-field.js';
import type { NoticeData } from '../components/notice.js';
import { HoldCountdown } from './cart.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';

const METHOD_LABEL: Record<Method, string> = { cash: 'cash', card: 'card', comp: 'comp (manager)' };
const METHOD_KEY: Record<Method, string> = { cash: 'c', card: 'k', comp: 'm' };

/** What the clerk hands back, as the form stands (the core computes the recorded change itself). */
function changeDue(state: Pick<PaymentState, 'tendered'>, total: number, currency: string): { text: string; short: boolean } {
  const typed = state.tendered.trim();
  if (!typed) return { text: 'exact amount (no change)', short: false };
  const problem = tenderedProblem(typed, currency);
  if (problem) return { text: problem, short: true };
  const change = parseMoney(typed, currency, 'tendered') - total;
  return change < 0 ? { text: `short by ${formatMoney(-change, currency)}`, short: true } : { text: formatMoney(change, currency), short: false };
}

export function PaymentScreen({
  services,
  event,
  order,
  onPaid,
  onBack,
}: {
  services: Services;
  event: EventSummary;
  order: OrderView;
  onPaid(result: SaleResult): void;
  onBack(notice: NoticeData | null): void;
}) {
  const theme = useTheme();
  const { now, state, notice } = usePayment({ services, order, onPaid, onBack });

  const due = changeDue(state, order.total, order.currency);
  return (
    <Screen title={`payment · ${event.name}`} actor={services.actor} legend="payment" notice={notice}>
      <Text>
        Order <Text bold>{order.code}</Text> · {order.tickets.length} ticket{order.tickets.length === 1 ? '' : 's'} · total <Text bold>{formatMoney(order.total, order.currency)}</Text> ·{' '}
        <HoldCountdown order={order} now={now} />
      </Text>
      <Gap />
      <Text>
        <Text bold={state.field === 'method'} color={state.field === 'method' ? theme.accent : undefined}>
          {state.field === 'method' ? '›' : ' '} {'Method'.padEnd(14)}
        </Text>
        {METHODS.map((m) => (
          <Text key={m}>
            <Text bold={m === state.method} inverse={m === state.method}>
              {m === state.method ? `(•) ${METHOD_LABEL[m]}` : `( ) ${METHOD_LABEL[m]}`}
            </Text>
            <Text dimColor> [{METHOD_KEY[m]}] </Text>
          </Text>
        ))}
      </Text>
      {state.method === 'cash' ? (
        <Box flexDirection="column">
          <TextField label="Tendered" value={state.tendered} focused={state.field === 'detail'} placeholder="blank: the exact amount" />
          <Text>
            {'  '}
            {'Change due'.padEnd(14)}
            <Text bold color={due.short ? theme.bad : theme.ok}>
              {due.text}
            </Text>
          </Text>
        </Box>
      ) : null}
      {state.method === 'card' ? <TextField label="Card ref" value={state.cardRef} focused={state.field === 'detail'} placeholder="the card terminal's reference" /> : null}
      {state.method === 'comp' ? <Text dimColor>{'  '}Complimentary: nothing is charged; the tier price stays on the tickets. Managers only.</Text> : null}
      <TextField label="Email" value={state.email} focused={state.field === 'email'} placeholder="optional: receipt and tickets" />
      <Gap />
      <Text dimColor>A declined card or a change of mind: esc goes back to the cart and the seats stay held.</Text>
    </Screen>
  );
}
