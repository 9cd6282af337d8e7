// The seat map: sections as grids (or GA steppers), live while open. Going to the cart holds the
// pick through the core, so nobody else can take it; a seat that went meanwhile is named and
// dropped, and the clerk chooses again.
import type React from 'react';
import { useMemo } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { TierView } from '../../core/events/tiers.js';
import { priceFor } from '../../core/events/tiers.js';
import type { GaSectionView } from '../../core/inventory/availability.js';
import { formatMoney } from '../../core/money.js';
import type { OrderView } from '../../core/orders/view.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { useTerminalSize, type TerminalSize } from '../hooks/use-terminal-size.js';
import { useSeatMap } from '../hooks/use-seat-map.js';
import { useSeatMapLayout } from '../hooks/use-seat-map-layout.js';
import { useSeatMapKeys } from '../hooks/use-seat-map-keys.js';
import type { SeatMapState } from '../state/seat-map.js';
import { seatAt } from '../state/seat-grid.js';
import { gaTotal, type SaleAction, type SaleState } from '../state/sale.js';
import { Screen } from '../components/screen.js';
import { SeatGridView, SeatKey, gridDrawnWidth } from '../components/seat-grid-view.js';
import { GaSteppers } from '../components/ga-steppers.js';
import type { NoticeData } from '../components/notice.js';
import { useTheme } from '../theme.js';

export function SeatMapScreen({
  services,
  event,
  sale,
  saleDispatch,
  currentSale,
  onHeld,
  onBack,
  notice,
  pollMs = 1000,
}: {
  services: Services;
  event: EventSummary;
  sale: SaleState;
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  onHeld(order: OrderView, tiers: TierView[]): void;
  onBack(): void;
  notice?: NoticeData | null;
  pollMs?: number;
}) {
  const size = useTerminalSize();
  const seatMap = useSeatMap({ services, event, saleDispatch, currentSale, onHeld, notice, pollMs });
  const { gridRows, gridCols } = useSeatMapLayout(seatMap, size);
  useSeatMapKeys({ seatMap, gridRows, columns: size.columns, saleDispatch, currentSale, onBack });
  return (
    <SeatMapView
      event={event}
      actor={services.actor}
      map={seatMap.map}
      pricedTiers={seatMap.pricedTiers}
      loaded={seatMap.loaded}
      busy={seatMap.busy}
      notice={seatMap.notice}
      sale={sale}
      size={size}
      gridRows={gridRows}
      gridCols={gridCols}
    />
  );
}

/** The seat map as it stands: draws what it is given and holds no state of its own. */
function SeatMapView({
  event,
  actor,
  map,
  pricedTiers,
  loaded,
  busy,
  notice,
  sale,
  size,
  gridRows,
  gridCols,
}: {
  event: EventSummary;
  actor: Services['actor'];
  map: SeatMapState;
  pricedTiers: TierView[];
  loaded: boolean;
  busy: boolean;
  notice: NoticeData | null;
  sale: SaleState;
  size: TerminalSize;
  gridRows: number;
  gridCols: number;
}) {
  const theme = useTheme();
  const section = map.sections[map.section];
  const grid = map.grids[map.section] ?? null;
  const selected = useMemo(() => new Set(sale.seats), [sale.seats]);
  const cursor = map.cursors[map.section] ?? { row: 0, seat: 0 };
  const scroll = map.scrolls[map.section] ?? { top: 0, left: 0 };
  const seat = grid ? seatAt(grid, cursor) : undefined;
  const currency = event.currency;

  const tabs = (
    <Text wrap="truncate-end">
      {map.sections.map((s, i) => (
        <Text key={s.id}>
          {i > 0 ? <Text dimColor> │ </Text> : null}
          <Text bold={i === map.section} inverse={i === map.section && theme.color} color={i === map.section ? undefined : theme.muted}>
            {i === map.section ? `[${s.name}` : s.name} {s.available} free{i === map.section ? ']' : ''}
          </Text>
        </Text>
      ))}
    </Text>
  );

  let body: React.ReactNode;
  if (!loaded) body = <Text dimColor>Loading the seat map…</Text>;
  else if (!section) body = <Text>This venue has no seat map.</Text>;
  else if (section.kind === 'ga') {
    body = (
      <GaSteppers section={section as GaSectionView} tiers={pricedTiers} counts={sale.ga?.sectionId === section.id ? sale.ga.counts : {}} focus={map.gaTier[map.section] ?? 0} currency={currency} />
    );
  } else if (grid) {
    const lastRow = Math.min(grid.rows.length, scroll.top + gridRows);
    const firstSeatCol = scroll.left;
    const lastSeatCol = Math.min(grid.columns, scroll.left + gridCols);
    const big = grid.rows.length > gridRows || grid.columns > gridCols;
    // Over the seats as drawn, not the middle of the terminal: a small hall sits at the left.
    const drawn = gridDrawnWidth(grid, size.columns, scroll.left);
    body = (
      <Box flexDirection="column">
        <Text dimColor wrap="truncate-end">
          {scroll.top === 0 ? centre('──────── STAGE ────────', drawn) : centre(`↑ ${scroll.top} more row${scroll.top === 1 ? '' : 's'}`, drawn)}
        </Text>
        <Box height={gridRows} flexShrink={0} flexDirection="column">
          <SeatGridView grid={grid} cursor={cursor} scroll={scroll} selected={selected} rows={gridRows} width={size.columns} />
        </Box>
        <Text wrap="truncate-end">
          {seat ? (
            <Text>
              Seat <Text bold>{seat.label}</Text> · {selected.has(seat.label) ? 'selected' : seat.status}
              {seat.zone ? ` · zone ${seat.zone}` : ''}
              {seat.accessible ? ' · accessible' : ''}
              {seat.obstructed ? ' · restricted view' : ''}
              {' · '}
              {pricedTiers.map((t) => `${t.name} ${fmt(priceFor(t.prices, seat.zone), currency)}`).join(' · ')}
            </Text>
          ) : null}
          {big ? (
            <Text dimColor>
              {'   '}rows {grid.rows[scroll.top]?.label}–{grid.rows[lastRow - 1]?.label} of {grid.rows.length} · columns {firstSeatCol + 1}–{lastSeatCol} of {grid.columns}
            </Text>
          ) : null}
        </Text>
      </Box>
    );
  }

  const pickLine =
    map.bestPrompt !== null ? (
      <Text>
        <Text bold color={theme.accent}>
          Best how many seats together{section ? ` in ${section.name}` : ''}?{' '}
        </Text>
        {map.bestPrompt}
        <Text inverse> </Text>
        {map.bestPrompt ? null : <Text dimColor> 2</Text>}
        <Text dimColor> enter holds them · esc cancels</Text>
      </Text>
    ) : sale.ga && gaTotal(sale.ga) > 0 ? (
      <Text wrap="truncate-end">
        Picked in {sale.ga.section}:{' '}
        <Text bold>
          {Object.entries(sale.ga.counts)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}
        </Text>
        {section?.kind === 'ga' && section.id === sale.ga.sectionId && gaTotal(sale.ga) > section.available ? <Text color={theme.bad}> — only {section.available} left</Text> : ' — enter holds them'}
      </Text>
    ) : (
      <Text wrap="truncate-end">
        Picked ({sale.seats.length}):{' '}
        <Text bold color={theme.selected}>
          {sale.seats.length ? sale.seats.join(', ') : '—'}
        </Text>
        {sale.seats.length ? <Text dimColor> — enter holds them</Text> : null}
      </Text>
    );

  return (
    <Screen
      title={`sell · ${event.name}`}
      right={humanTime(event.startsAt, event.timezone)}
      actor={actor}
      legend={section?.kind === 'ga' ? 'gaSection' : 'seatMap'}
      notice={busy ? { kind: 'info', text: 'Holding…' } : notice}
      noticeWrap
    >
      {tabs}
      {body}
      {pickLine}
      {section?.kind === 'reserved' ? <SeatKey /> : null}
    </Screen>
  );
}

function centre(text: string, width: number): string {
  return ' '.repeat(Math.max(0, Math.floor((width - text.length) / 2))) + text;
}

function fmt(minor: number | undefined, currency: string): string {
  return minor === undefined ? '—' : formatMoney(minor, currency);
}
