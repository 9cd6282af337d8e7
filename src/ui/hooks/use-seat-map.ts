// The seat map's live data and its hold: the map read from the core and kept current by a cheap
// version check, picked seats that went to another till dropped and named, and the pick held
// through the core on its way to the cart.
import { useCallback, useEffect, useRef, useState } from 'react';
import { BoxofficeError } from '../../core/errors.js';
import type { TierView } from '../../core/events/tiers.js';
import type { SectionAvailability } from '../../core/inventory/availability.js';
import type { OrderView } from '../../core/orders/view.js';
import type { EventSummary, HoldSelection, Services } from '../services.js';
import { useSyncReducer } from './use-sync-reducer.js';
import { useMounted } from './use-mounted.js';
import { emptySeatMap, seatMapReducer, type SeatMapAction, type SeatMapState } from '../state/seat-map.js';
import { gaTierCounts, gaTotal, pickedSeatRefs, type SaleAction, type SaleState } from '../state/sale.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';

export interface SeatMapOptions {
  services: Services;
  event: EventSummary;
  saleDispatch(action: SaleAction): SaleState;
  currentSale(): SaleState;
  onHeld(order: OrderView, tiers: TierView[]): void;
  notice?: NoticeData | null;
  pollMs?: number;
}

export interface SeatMap {
  map: SeatMapState;
  mapDispatch(action: SeatMapAction): SeatMapState;
  currentMap(): SeatMapState;
  tiers: TierView[];
  /** The tiers with a price: the ones a seat can be sold at. */
  pricedTiers: TierView[];
  loaded: boolean;
  /** A hold is on its way to the core. */
  busy: boolean;
  notice: NoticeData | null;
  setNotice(notice: NoticeData | null): void;
  /** Holds the pick (seats or GA places) and leaves for the cart, or says nothing is picked. */
  toCart(): void;
  /** Holds the best `n` seats together in the current section. */
  holdBest(n: number, section: string | undefined): void;
}

/** The picked seats that are no longer free, each with what it is now. */
export function goneFromPick(sections: SectionAvailability[], picked: string[]): { seat: string; status: string }[] {
  const gone: { seat: string; status: string }[] = [];
  if (picked.length === 0) return gone;
  for (const section of sections) {
    if (section.kind !== 'reserved') continue;
    for (const seat of section.seats) if (seat.status !== 'available' && picked.includes(seat.seat)) gone.push({ seat: seat.seat, status: seat.status });
  }
  return gone;
}

export function useSeatMap({ services, event, saleDispatch, currentSale, onHeld, notice: initialNotice = null, pollMs = 1000 }: SeatMapOptions): SeatMap {
  const [map, mapDispatch, currentMap] = useSyncReducer(seatMapReducer, emptySeatMap);
  const [tiers, setTiers] = useState<TierView[]>([]);
  const [notice, setNotice] = useState<NoticeData | null>(initialNotice);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const version = useRef<string | null>(null);
  const loading = useRef(false);
  const busyRef = useRef(false);
  const mounted = useMounted();

  const pricedTiers = tiers.filter((t) => t.prices.length > 0);
  // Seats picked on the map start in the first priced tier; the cart changes them.
  const firstTier = pricedTiers[0] ? [{ name: pricedTiers[0].name }] : undefined;

  /** Drops picked seats that are no longer free and says which, so the clerk picks again. */
  const reconcile = useCallback(
    (sections: SectionAvailability[], announce: boolean) => {
      const gone = goneFromPick(sections, currentSale().seats);
      if (gone.length === 0) return;
      saleDispatch({ type: 'dropSeats', seats: gone.map((g) => g.seat) });
      if (announce) setNotice({ kind: 'error', text: `Just taken at another till: ${gone.map((g) => `${g.seat} (${g.status})`).join(', ')} — removed from your pick`, hint: 'choose another seat' });
    },
    [currentSale, saleDispatch],
  );

  const load = useCallback(
    async (announce = true) => {
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
    },
    [services, event.id, mapDispatch, reconcile, mounted],
  );

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
  }, [load, services, event.id, pollMs, mounted]);

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

  const holdBest = (n: number, section: string | undefined) => {
    saleDispatch({ type: 'clear' });
    hold({ best: n, section, tier: firstTier });
  };

  return { map, mapDispatch, currentMap, tiers, pricedTiers, loaded, busy, notice, setNotice, toCart, holdBest };
}
