// useSeatMap, useSeatMapLayout and useSeatMapKeys on fake services: the live map, a pick that
// went to another till, holding (seats, GA, best N) and the refusals, and the keys that drive them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxofficeError } from '../../../src/core/errors.js';
import type { OrderView } from '../../../src/core/orders/view.js';
import type { TierView } from '../../../src/core/events/tiers.js';
import type { SectionAvailability } from '../../../src/core/inventory/availability.js';
import type { SeatMapData, Services } from '../../../src/ui/services.js';
import { useSyncReducer } from '../../../src/ui/hooks/use-sync-reducer.js';
import { goneFromPick, useSeatMap } from '../../../src/ui/hooks/use-seat-map.js';
import { useSeatMapLayout } from '../../../src/ui/hooks/use-seat-map-layout.js';
import { useSeatMapKeys } from '../../../src/ui/hooks/use-seat-map-keys.js';
import { emptySale, saleReducer } from '../../../src/ui/state/sale.js';
import { KEY, tick } from '../helpers.js';
import { EVENT, PIT, TIERS, fakeServices, order, renderHook, seat, stalls, until, unmountAll } from './harness.js';

const SIZE = { columns: 100, rows: 30 };

function mapData(sections: SectionAvailability[], version = 'v1'): SeatMapData {
  return { sections, tiers: TIERS, version };
}

function seatMapHarness(services: Services, options: { keys?: boolean; notice?: { kind: 'info'; text: string } } = {}) {
  const held: { order: OrderView; tiers: TierView[] }[] = [];
  const onBack = vi.fn();
  const app = renderHook(() => {
    const [sale, saleDispatch, currentSale] = useSyncReducer(saleReducer, emptySale);
    const seatMap = useSeatMap({ services, event: EVENT, saleDispatch, currentSale, onHeld: (o, t) => held.push({ order: o, tiers: t }), notice: options.notice, pollMs: 20 });
    const layout = useSeatMapLayout(seatMap, SIZE);
    if (options.keys) useSeatMapKeys({ seatMap, gridRows: layout.gridRows, columns: SIZE.columns, saleDispatch, currentSale, onBack });
    return { sale, saleDispatch, seatMap, layout };
  });
  return Object.assign(app, { held, onBack });
}

let app: ReturnType<typeof seatMapHarness> | undefined;
afterEach(unmountAll);

describe('goneFromPick', () => {
  it('names the picked seats that are no longer free, with what they are now', () => {
    const sections = [stalls([seat('A-1', 'sold'), seat('A-2', 'held'), seat('A-3')]), PIT];
    expect(goneFromPick(sections, ['A-1', 'A-3'])).toEqual([{ seat: 'A-1', status: 'sold' }]);
    expect(goneFromPick(sections, [])).toEqual([]);
  });
});

describe('useSeatMap', () => {
  it('starts with the notice it was given, loads the map and reads it again only when the version changes', async () => {
    let version = 'v1';
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2')])], version), version: async () => version });
    app = seatMapHarness(services, { notice: { kind: 'info', text: 'hello' } });
    expect(app.result.current.seatMap.notice).toEqual({ kind: 'info', text: 'hello' });
    expect(app.result.current.seatMap.loaded).toBe(false);
    await until(() => app!.result.current.seatMap.loaded);
    expect(app.result.current.seatMap.map.sections[0].name).toBe('Stalls');
    expect(app.result.current.seatMap.pricedTiers.map((t) => t.name)).toEqual(['Adult', 'Child']);
    await until(() => services.calls.filter((c) => c.startsWith('version')).length >= 3);
    expect(services.calls.filter((c) => c.startsWith('seatMap'))).toHaveLength(1);
    version = 'v2';
    await until(() => services.calls.filter((c) => c.startsWith('seatMap')).length === 2);
  });

  it('drops a picked seat another till took and says which', async () => {
    let sections = [stalls([seat('A-1'), seat('A-2')])];
    let version = 'v1';
    const services = fakeServices({ seatMap: async () => mapData(sections, version), version: async () => version });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.loaded);
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-1' });
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-2' });
    sections = [stalls([seat('A-1', 'sold'), seat('A-2')])];
    version = 'v2';
    await until(() => app!.result.current.sale.seats.length === 1);
    expect(app.result.current.sale.seats).toEqual(['A-2']);
    expect(app.result.current.seatMap.notice).toEqual({ kind: 'error', text: 'Just taken at another till: A-1 (sold) — removed from your pick', hint: 'choose another seat' });
  });

  it('says nothing is picked, or holds the picked seats at the first priced tier and hands the order on', async () => {
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2')])]), version: async () => 'v1', hold: async () => order('ABC') });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.loaded);
    app.result.current.seatMap.toCart();
    await until(() => app!.result.current.seatMap.notice?.text.startsWith('Nothing picked yet') ?? false);
    expect(services.calls.some((c) => c.startsWith('hold'))).toBe(false);
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-2' });
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-1' });
    app.result.current.seatMap.toCart();
    app.result.current.seatMap.toCart();
    await until(() => app!.held.length === 1);
    expect(services.calls.filter((c) => c.startsWith('hold'))).toEqual([
      `hold [7,{"seats":[{"section":"Stalls","row":"A","number":2,"text":"A-2"},{"section":"Stalls","row":"A","number":1,"text":"A-1"}],"tier":[{"name":"Adult"}]}]`,
    ]);
    expect(app.held[0].order.code).toBe('ABC');
    expect(app.held[0].tiers).toEqual(TIERS);
    // Still busy: the screen is on its way to the cart.
    expect(app.result.current.seatMap.busy).toBe(true);
  });

  it('holds GA places by tier, and the best N after clearing the pick', async () => {
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1')]), PIT]), version: async () => 'v1', hold: async () => order('GA1') });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.loaded);
    const step = (tier: string) => app!.result.current.saleDispatch({ type: 'gaStep', sectionId: 2, section: 'Pit', tier, delta: 1 });
    step('Child');
    step('Adult');
    step('Adult');
    app.result.current.seatMap.toCart();
    await until(() => app!.held.length === 1);
    expect(services.calls.filter((c) => c.startsWith('hold'))).toEqual([`hold [7,{"quantity":3,"section":"Pit","tier":[{"name":"Adult","count":2},{"name":"Child","count":1}]}]`]);
    app.unmount();

    const best = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2')])]), version: async () => 'v1', hold: async () => order('B2') });
    app = seatMapHarness(best);
    await until(() => app!.result.current.seatMap.loaded);
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-1' });
    app.result.current.seatMap.holdBest(2, 'Stalls');
    await until(() => app!.held.length === 1);
    expect(best.calls.filter((c) => c.startsWith('hold'))).toEqual([`hold [7,{"best":2,"section":"Stalls","tier":[{"name":"Adult"}]}]`]);
    expect(app.result.current.sale.seats).toEqual([]);
  });

  it('a seat refused as taken: says to pick others, reads the map again quietly and is ready to hold again', async () => {
    let sections = [stalls([seat('A-1'), seat('A-2')])];
    const services = fakeServices({
      seatMap: async () => mapData(sections),
      version: async () => 'v1',
      hold: async () => {
        sections = [stalls([seat('A-1', 'sold'), seat('A-2')])];
        throw new BoxofficeError('seat_unavailable', 'A-1 is sold');
      },
    });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.loaded);
    app.result.current.saleDispatch({ type: 'toggleSeat', seat: 'A-1' });
    app.result.current.seatMap.toCart();
    await until(() => app!.result.current.seatMap.notice?.kind === 'error' && services.calls.filter((c) => c.startsWith('seatMap')).length === 2);
    await tick(30);
    const { seatMap, sale } = app.result.current;
    expect(seatMap.busy).toBe(false);
    expect(seatMap.notice?.hint).toBe('those seats went to another till: pick others and press enter again');
    // The quiet reload drops the seat without its own notice over the refusal.
    expect(sale.seats).toEqual([]);
    expect(seatMap.map.sections[0].kind === 'reserved' && seatMap.map.sections[0].seats[0].status).toBe('sold');
  });

  it('a failing read shows as a notice', async () => {
    const services = fakeServices({ seatMap: async () => Promise.reject(new BoxofficeError('not_found', 'no event 7')), version: async () => 'v1' });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.notice !== null);
    expect(app.result.current.seatMap.notice).toMatchObject({ kind: 'error', text: 'no event 7' });
    expect(app.result.current.seatMap.loaded).toBe(false);
  });
});

describe('useSeatMapLayout', () => {
  it('gives the grid the rows the screen leaves it, fewer while a long notice wraps', async () => {
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2')])]), version: async () => 'v1' });
    app = seatMapHarness(services);
    await until(() => app!.result.current.seatMap.loaded);
    const rows = app.result.current.layout.gridRows;
    expect(rows).toBeGreaterThan(5);
    expect(app.result.current.layout.gridCols).toBeGreaterThan(0);
    app.result.current.seatMap.setNotice({ kind: 'error', text: 'x'.repeat(400) });
    await until(() => app!.result.current.layout.gridRows < rows);
    // The cursor's section got placed in view.
    expect(app.result.current.seatMap.map.placed[0]).toBe(true);
  });
});

describe('useSeatMapKeys', () => {
  async function keyed(services: Services) {
    app = seatMapHarness(services, { keys: true });
    await until(() => app!.result.current.seatMap.loaded);
    await tick(30);
    return app;
  }

  it('space picks the seat under the cursor and again unpicks it; a sold seat is refused; c clears', async () => {
    const a = await keyed(fakeServices({ seatMap: async () => mapData([stalls([seat('A-1', 'sold'), seat('A-2'), seat('A-3')])]), version: async () => 'v1' }));
    await a.press(' ');
    expect(a.result.current.sale.seats).toEqual(['A-2']);
    await a.press(KEY.right, ' ');
    expect(a.result.current.sale.seats).toEqual(['A-2', 'A-3']);
    await a.press(' ');
    expect(a.result.current.sale.seats).toEqual(['A-2']);
    await a.press(KEY.left, KEY.left, ' ');
    expect(a.result.current.seatMap.notice).toEqual({ kind: 'error', text: 'A-1 is sold', hint: 'pick a free seat (○)' });
    expect(a.result.current.sale.seats).toEqual(['A-2']);
    await a.press('c');
    expect(a.result.current.sale.seats).toEqual([]);
    expect(a.result.current.seatMap.notice).toBeNull();
  });

  it('b opens the best-N prompt: digits only, enter holds, 0 is refused, esc closes', async () => {
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2'), seat('A-3')])]), version: async () => 'v1', hold: async () => order('B3') });
    const a = await keyed(services);
    await a.press('b', '0', KEY.enter);
    expect(a.result.current.seatMap.notice).toEqual({ kind: 'error', text: 'type how many seats, e.g. b 2 enter' });
    expect(a.result.current.seatMap.map.bestPrompt).toBeNull();
    await a.press('b', 'x', '3');
    expect(a.result.current.seatMap.map.bestPrompt).toBe('3');
    await a.press(KEY.escape);
    expect(a.result.current.seatMap.map.bestPrompt).toBeNull();
    expect(a.onBack).not.toHaveBeenCalled();
    await a.press('b', KEY.enter);
    await until(() => a.held.length === 1);
    expect(services.calls.filter((c) => c.startsWith('hold'))).toEqual([`hold [7,{"best":2,"section":"Stalls","tier":[{"name":"Adult"}]}]`]);
  });

  it('tab goes to the GA section, where arrows pick the tier and + and − step it; esc goes back', async () => {
    const a = await keyed(fakeServices({ seatMap: async () => mapData([stalls([seat('A-1')]), PIT]), version: async () => 'v1' }));
    await a.press(KEY.tab);
    expect(a.result.current.seatMap.map.section).toBe(1);
    await a.press('+', KEY.down, '+', '+', '-');
    expect(a.result.current.sale.ga).toEqual({ sectionId: 2, section: 'Pit', counts: { Adult: 1, Child: 1 } });
    await a.press(KEY.down);
    // Only the priced tiers can be stepped: Guest has no price.
    expect(a.result.current.seatMap.map.gaTier[1]).toBe(1);
    await a.press(' ');
    expect(a.result.current.seatMap.notice?.text).toBe('Pit is general admission: + and − set how many per tier');
    await a.press(KEY.escape);
    expect(a.onBack).toHaveBeenCalledTimes(1);
  });

  it('enter holds the pick', async () => {
    const services = fakeServices({ seatMap: async () => mapData([stalls([seat('A-1'), seat('A-2')])]), version: async () => 'v1', hold: async () => order('E1') });
    const a = await keyed(services);
    await a.press(' ', KEY.enter);
    await until(() => a.held.length === 1);
    expect(services.calls.filter((c) => c.startsWith('hold'))).toEqual([`hold [7,{"seats":[{"section":"Stalls","row":"A","number":2,"text":"A-2"}],"tier":[{"name":"Adult"}]}]`]);
  });
});
