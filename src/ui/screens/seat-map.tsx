// The seat map: sections as grids (or GA steppers), live while open. Going to the cart holds the
// pick through the core, so nobody else can take it; a seat that went meanwhile is named and
// dropped, and the clerk chooses again.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { BoxofficeError } from '../../core/errors.js';
import type { TierView } from '../../core/events/tiers.js';
import { priceFor } from '../../core/events/tiers.js';
import type { GaSectionView, SectionAvailability } from '../../core/inventory/availability.js';
import { formatMoney } from '../../core/money.js';
import type { OrderView } from '../../core/orders/view.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, HoldSelection, Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { useSyncReducer } from '../hooks/use-sync-reducer.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { emptySeatMap, seatMapReducer } from '../state/seat-map.js';
import { seatAt } from '../state/seat-grid.js';
import { gaTierCounts, gaTotal, pickedSeatRefs, type SaleAction, type SaleState } from '../state/sale.js';
import { Screen, bodyRows } from '../components/screen.js';
import { SeatGridView, SeatKey, gridColumnsFor, gridDrawnWidth } from '../components/seat-grid-view.js';
import { GaSteppers } from '../components/ga-steppers.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';
import { useKeys } from '../hooks/use-keys.js';

/** Lines the map draws around the grid: tabs, stage, cursor seat, selection, symbol key. */
const MAP_CHROME = 5;

export function SeatMapScreen({
  services,
  event,
  sale,
  saleDispatch,
  currentSale,
  onHeld,
  onBack,
  notice: initialNotice = null,
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
  const theme = useTheme();
  const size = useTerminalSize();
  const [map, mapDispatch, currentMap] = useSyncReducer(seatMapReducer, emptySeatMap);
  const [tiers, setTiers] = useState<TierView[]>([]);
  const [notice, setNotice] = useState<NoticeData | null>(initialNotice);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const version = useRef<string | null>(null);
  const loading = useRef(false);
  const busyRef = useRef(false);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const pricedTiers = tiers.filter((t) => t.prices.length > 0);
  // Seats picked on the map start in the first priced tier; the cart changes them.
  const firstTier = pricedTiers[0] ? [{ name: pricedTiers[0].name }] : undefined;

  /** Drops picked seats that are no longer free and says which, so the clerk picks again. */
  const reconcile = useCallback(
    (sections: SectionAvailability[], announce: boolean) => {
      const picked = currentSale().seats;
      if (picked.length === 0) return;
      const gone: string[] = [];
      for (const section of sections) {
        if (section.kind !== 'reserved') continue;
        for (const seat of section.seats) if (seat.status !== 'available' && picked.includes(seat.seat)) gone.push(`${seat.seat} (${seat.status})`);
      }
      if (gone.length === 0) return;
      saleDispatch({ type: 'dropSeats', seats: gone.map((g) => g.replace(/ \(.*\)$/, '')) });
      if (announce) setNotice({ kind: 'error', text: `Just taken at another till: ${gone.join(', ')} — removed from your pick`, hint: 'choose another seat' });
    },
    [currentSale, saleDispatch],
  );

  const load = useCallback(async (announce = true) => {
    if (loading.current) return;
    loading.current = true;
    try {
      const data = await services.seatMap(event.id);
      if (!mounted.current) return;
      version.current = data.version;
      mapDispatch({ type: 'data', sections: data.sections });
      setTiers(data.tiers);
      setLoaded(true);
      // While a hold is on its way the picked seats show as held: ours, not another till's.
      if (!busyRef.current) reconcile(data.sections, announce);
    } catch (err) {
      if (mounted.current) setNotice(noticeFrom(err));
    } finally {
      loading.current = false;
    }
  }, [services, event.id, mapDispatch, reconcile]);

  // Live: a cheap version check every second; the map itself is read again only when it changed.
  useEffect(() => {
    void load();
    const timer = setInterval(async () => {
      if (loading.current) return;
      try {
        const v = await services.version(event.id);
        if (v !== version.current) await load();
      } catch (err) {
        if (mounted.current) setNotice(noticeFrom(err));
      }
    }, pollMs);
    return () => clearInterval(timer);
  }, [load, services, event.id, pollMs]);

  const section = map.sections[map.section];
  // A long refusal wraps rather than losing its end; the grid gives up the rows it takes.
  const shownNotice = busy ? null : notice;
  const gridRows = Math.max(1, bodyRows(section?.kind === 'ga' ? 'gaSection' : 'seatMap', size, { notice: shownNotice }) - MAP_CHROME);
  const grid = map.grids[map.section] ?? null;
  const gridCols = grid ? gridColumnsFor(grid, size.columns) : 0;

  // A resize or a section change keeps the cursor in view.
  useEffect(() => {
    mapDispatch({ type: 'view', viewRows: gridRows, viewCols: gridCols });
  }, [gridRows, gridCols, map.section, loaded, mapDispatch]);

  const hold = (selection: HoldSelection) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setNotice({ kind: 'info', text: 'Holding…' });
    services.hold(event.id, selection).then(
      (order) => {
        // Still busy: this screen is leaving for the cart.
        onHeld(order, tiers);
      },
      (err) => {
        busyRef.current = false;
        if (!mounted.current) return;
        setBusy(false);
        const n = noticeFrom(err);
        if (err instanceof BoxofficeError && (err.code === 'seat_unavailable' || err.code === 'no_adjacent_seats' || err.code === 'sold_out')) {
          n.hint = err.code === 'seat_unavailable' ? 'those seats went to another till: pick others and press enter again' : n.hint;
          void load(false);
        }
        setNotice(n);
      },
    );
  };

  const toCart = () => {
    const s = currentSale();
    const names = tiers.map((t) => t.name);
    if (s.ga && gaTotal(s.ga) > 0) return hold({ quantity: gaTotal(s.ga), section: s.ga.section, tier: gaTierCounts(s.ga, names) });
    if (s.seats.length > 0) return hold({ seats: pickedSeatRefs(s.seats, currentMap().sections), tier: firstTier });
    setNotice({ kind: 'info', text: 'Nothing picked yet: space picks the seat under the cursor, b the best N together' });
  };

  useKeys((input, key) => {
    if (key.ctrl) return;
    const m = currentMap();
    const sec = m.sections[m.section];
    const g = m.grids[m.section];
    if (m.bestPrompt !== null) {
      if (key.escape) return void mapDispatch({ type: 'bestClose' });
      if (key.backspace || key.delete) return void mapDispatch({ type: 'bestBackspace' });
      for (const k of typedKeys(input)) {
        if (k.kind === 'text') mapDispatch({ type: 'bestType', text: k.text });
        else if (k.kind === 'backspace') mapDispatch({ type: 'bestBackspace' });
        else if (k.kind === 'submit') return submitBest();
      }
      return;
    }
    if (is('backToEvents', input, key)) return onBack();
    if (is('toCart', input, key)) return toCart();
    if (is('nextSection', input, key)) return void mapDispatch({ type: 'section', delta: 1 });
    if (is('prevSection', input, key)) return void mapDispatch({ type: 'section', delta: -1 });
    if (is('clearSelection', input, key)) {
      saleDispatch({ type: 'clear' });
      return void setNotice(null);
    }
    if (!sec) return;
    if (sec.kind === 'ga') {
      const tierIndex = m.gaTier[m.section] ?? 0;
      const tier = pricedTiers[tierIndex];
      if (is('up', input, key)) return void mapDispatch({ type: 'gaTier', delta: -1, tiers: pricedTiers.length });
      if (is('down', input, key)) return void mapDispatch({ type: 'gaTier', delta: 1, tiers: pricedTiers.length });
      if (tier && is('more', input, key)) return void saleDispatch({ type: 'gaStep', sectionId: sec.id, section: sec.name, tier: tier.name, delta: 1 });
      if (tier && is('fewer', input, key)) return void saleDispatch({ type: 'gaStep', sectionId: sec.id, section: sec.name, tier: tier.name, delta: -1 });
      if (is('best', input, key) || is('select', input, key)) setNotice({ kind: 'info', text: `${sec.name} is general admission: + and − set how many per tier` });
      return;
    }
    if (!g) return;
    const view = { viewRows: gridRows, viewCols: gridColumnsFor(g, size.columns) };
    if (is('up', input, key)) return void mapDispatch({ type: 'move', move: 'up', ...view });
    if (is('down', input, key)) return void mapDispatch({ type: 'move', move: 'down', ...view });
    if (is('left', input, key)) return void mapDispatch({ type: 'move', move: 'left', ...view });
    if (is('right', input, key)) return void mapDispatch({ type: 'move', move: 'right', ...view });
    if (is('pageUp', input, key)) return void mapDispatch({ type: 'move', move: 'pageUp', ...view });
    if (is('pageDown', input, key)) return void mapDispatch({ type: 'move', move: 'pageDown', ...view });
    if (is('best', input, key)) return void mapDispatch({ type: 'bestOpen', initial: '' });
    if (is('select', input, key)) {
      const seat = seatAt(g, m.cursors[m.section]);
      if (!seat) return;
      const picked = currentSale().seats.includes(seat.label);
      if (!picked && seat.status !== 'available') return void setNotice({ kind: 'error', text: `${seat.label} is ${seat.status}`, hint: 'pick a free seat (○)' });
      saleDispatch({ type: 'toggleSeat', seat: seat.label });
      setNotice(null);
    }
  });

  function submitBest() {
    const m = currentMap();
    const n = Number(m.bestPrompt || '2');
    mapDispatch({ type: 'bestClose' });
    const sec = m.sections[m.section];
    if (!Number.isInteger(n) || n < 1) return void setNotice({ kind: 'error', text: 'type how many seats, e.g. b 2 enter' });
    saleDispatch({ type: 'clear' });
    hold({ best: n, section: sec?.name, tier: firstTier });
  }

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
      <GaSteppers
        section={section as GaSectionView}
        tiers={pricedTiers}
        counts={sale.ga?.sectionId === section.id ? sale.ga.counts : {}}
        focus={map.gaTier[map.section] ?? 0}
        currency={currency}
      />
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
        <Text bold color={theme.accent}>Best how many seats together{section ? ` in ${section.name}` : ''}? </Text>
        {map.bestPrompt}
        <Text inverse> </Text>
        {map.bestPrompt ? null : <Text dimColor> 2</Text>}
        <Text dimColor>   enter holds them · esc cancels</Text>
      </Text>
    ) : sale.ga && gaTotal(sale.ga) > 0 ? (
      <Text wrap="truncate-end">
        Picked in {sale.ga.section}: <Text bold>{Object.entries(sale.ga.counts).map(([t, n]) => `${t} ${n}`).join(', ')}</Text>
        {section?.kind === 'ga' && section.id === sale.ga.sectionId && gaTotal(sale.ga) > section.available ? (
          <Text color={theme.bad}> — only {section.available} left</Text>
        ) : (
          ' — enter holds them'
        )}
      </Text>
    ) : (
      <Text wrap="truncate-end">
        Picked ({sale.seats.length}): <Text bold color={theme.selected}>{sale.seats.length ? sale.seats.join(', ') : '—'}</Text>
        {sale.seats.length ? <Text dimColor> — enter holds them</Text> : null}
      </Text>
    );

  return (
    <Screen
      title={`sell · ${event.name}`}
      right={humanTime(event.startsAt, event.timezone)}
      actor={services.actor}
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
