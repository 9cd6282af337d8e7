// The seat map's keys: moving, picking, the "best N" prompt, GA steppers, sections, and Enter to
// hold. Each key reads the state the previous one left (a burst of keys arrives in one chunk).
import { gridColumnsFor } from '../components/seat-grid-view.js';
import { is, typedKeys } from '../key-bindings.js';
import { seatAt } from '../state/seat-grid.js';
import type { SaleAction, SaleState } from '../state/sale.js';
import { useKeys } from './use-keys.js';
import type { SeatMap } from './use-seat-map.js';

export interface SeatMapKeysOptions {
  seatMap: SeatMap;
  gridRows: number;
  columns: number;
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  onBack(): void;
}

export function useSeatMapKeys({ seatMap, gridRows, columns, saleDispatch, currentSale, onBack }: SeatMapKeysOptions): void {
  const { currentMap, mapDispatch, pricedTiers, setNotice, toCart, holdBest } = seatMap;

  function submitBest() {
    const m = currentMap();
    const n = Number(m.bestPrompt || '2');
    mapDispatch({ type: 'bestClose' });
    const sec = m.sections[m.section];
    if (!Number.isInteger(n) || n < 1) return void setNotice({ kind: 'error', text: 'type how many seats, e.g. b 2 enter' });
    holdBest(n, sec?.name);
  }

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
    const view = { viewRows: gridRows, viewCols: gridColumnsFor(g, columns) };
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
}
