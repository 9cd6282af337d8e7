import { Box } from 'ink';
import { Text } from '../components/text.js';
import { formatMoney } from '../../core/money.js';
import type { SaleResult } from '../../core/orders/sale.js';
import type { EventSummary, Services } from '../services.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Screen, bodyRows } from '../components/screen.js';
import { useQrCode } from '../hooks/use-qr-code.js';
import { useReceiptActions } from '../hooks/use-receipt-actions.js';
import { placeOf } from './cart.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';

// The receipt test reads the QR as the screen makes it.
export { qrText } from '../hooks/use-qr-code.js';

function paymentLine(result: SaleResult): string {
  const p = result.payments.find((x) => x.kind === 'payment');
  if (!p) return '';
  if (p.method === 'cash') return `cash · tendered ${formatMoney(p.tendered ?? p.amount, p.currency)} · change ${formatMoney(p.change ?? 0, p.currency)}`;
  if (p.method === 'card') return `card · ref ${p.reference ?? ''}`;
  if (p.method === 'comp') return 'comp · nothing charged';
  return `${p.method}${p.reference ? ` · ref ${p.reference}` : ''}`;
}

export function ReceiptScreen({ services, event, result, onNext, onEvents }: { services: Services; event: EventSummary; result: SaleResult; onNext(): void; onEvents(): void }) {
  const theme = useTheme();
  const size = useTerminalSize();
  const first = result.tickets.find((t) => t.code);
  const qr = useQrCode(first?.code ?? undefined);
  const { notice, missing } = useReceiptActions({ services, result, onNext, onEvents });

  const qrLines = qr ? qr.split('\n') : [];
  const qrWidth = qrLines.reduce((w, l) => Math.max(w, [...l].length), 0);
  // A long message (a PDF's path) wraps, taking rows from the body while it shows.
  const room = bodyRows('receipt', size, { disabled: missing, notice });
  const side = size.columns >= 60 + qrWidth + 4;
  const showQr = qr !== null && (side ? qrLines.length <= room : qrLines.length + result.tickets.length + 4 <= room);
  const placeWidth = Math.max(...result.tickets.map((t) => placeOf(t).length));
  const tierWidth = Math.max(...result.tickets.map((t) => t.tier.length));
  const details = (
    <Box flexDirection="column" flexShrink={1}>
      <Text>
        <Text bold color={theme.ok}>
          ✔ PAID
        </Text>
        {'  '}order <Text bold>{result.code}</Text> · {formatMoney(result.paid, result.currency)}
        {result.paid !== result.total ? ` (tickets worth ${formatMoney(result.total, result.currency)})` : ''}
      </Text>
      <Text>{paymentLine(result)}</Text>
      {result.customer ? <Text>customer {result.customer.email}</Text> : null}
      <Gap />
      {result.tickets.map((t) => (
        <Text key={t.id} wrap="truncate-end">
          {placeOf(t).padEnd(placeWidth)} {t.tier.padEnd(tierWidth)} {formatMoney(t.price, t.currency).padStart(9)} <Text dimColor>{t.code}</Text>
        </Text>
      ))}
      {result.replayed ? <Text dimColor>(this payment was already taken: shown again, not charged twice)</Text> : null}
    </Box>
  );
  const code = showQr ? (
    <Box flexDirection="column" marginLeft={side ? 2 : 0} flexShrink={0}>
      {qrLines.map((l, i) => (
        <Text key={i}>{l}</Text>
      ))}
      <Text dimColor>{first?.seat ?? first?.section} · first ticket</Text>
    </Box>
  ) : qr !== null ? (
    <Text dimColor>(make the window taller to show the QR code)</Text>
  ) : null;

  return (
    <Screen title={`receipt · ${event.name}`} actor={services.actor} legend="receipt" legendDisabled={missing} notice={notice} noticeWrap>
      <Box flexDirection={side ? 'row' : 'column'}>
        {details}
        {code}
      </Box>
    </Screen>
  );
}
