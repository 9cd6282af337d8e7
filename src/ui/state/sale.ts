// One sale at the window: what the clerk has picked, the order holding it, and the paid result.
// The rules (what may be held, priced or paid) are the core's; this only remembers.
import type { OrderView } from '../../core/orders/view.js';
import type { SaleResult } from '../../core/orders/sale.js';
import type { TierCount } from '../../core/orders/tier-split.js';
import type { SeatRef } from '../../core/inventory/seat-refs.js';
import type { SectionAvailability } from '../../core/inventory/availability.js';

export interface GaPick {
  sectionId: number;
  section: string;
  /** Places per tier name. */
  counts: Record<string, number>;
}

export interface SaleState {
  /** Seat references in the order they were picked. */
  seats: string[];
  ga: GaPick | null;
  /** The pending order holding the pick, once the clerk went to the cart. */
  order: OrderView | null;
  result: SaleResult | null;
}

export type SaleAction =
  | { type: 'toggleSeat'; seat: string }
  | { type: 'dropSeats'; seats: string[] }
  | { type: 'gaStep'; sectionId: number; section: string; tier: string; delta: number }
  | { type: 'clear' }
  | { type: 'held'; order: OrderView }
  | { type: 'updated'; order: OrderView }
  | { type: 'released' }
  | { type: 'paid'; result: SaleResult }
  | { type: 'next' };

export const emptySale: SaleState = { seats: [], ga: null, order: null, result: null };

export function gaTotal(ga: GaPick | null): number {
  return ga ? Object.values(ga.counts).reduce((a, b) => a + b, 0) : 0;
}

export function saleReducer(state: SaleState, action: SaleAction): SaleState {
  switch (action.type) {
    case 'toggleSeat': {
      const has = state.seats.includes(action.seat);
      // One order takes reserved seats or standing places: picking a seat drops a GA pick.
      return { ...state, ga: null, seats: has ? state.seats.filter((s) => s !== action.seat) : [...state.seats, action.seat] };
    }
    case 'dropSeats':
      return { ...state, seats: state.seats.filter((s) => !action.seats.includes(s)) };
    case 'gaStep': {
      const same = state.ga?.sectionId === action.sectionId;
      const counts = same ? { ...state.ga!.counts } : {};
      counts[action.tier] = Math.max(0, (counts[action.tier] ?? 0) + action.delta);
      if (counts[action.tier] === 0) delete counts[action.tier];
      return { ...state, seats: [], ga: { sectionId: action.sectionId, section: action.section, counts } };
    }
    case 'clear':
      return { ...state, seats: [], ga: null };
    case 'held':
    case 'updated':
      return { ...state, order: action.order };
    case 'released':
      return { ...state, order: null };
    case 'paid':
      return { ...state, order: null, result: action.result };
    case 'next':
      return emptySale;
  }
}

/** The tier counts of a GA pick, in the tiers' own order. */
export function gaTierCounts(ga: GaPick, tierOrder: string[]): TierCount[] {
  return tierOrder.filter((t) => (ga.counts[t] ?? 0) > 0).map((t) => ({ name: t, count: ga.counts[t] }));
}

/** The picked seats (by their labels on the map) as the core takes them, in the order picked. */
export function pickedSeatRefs(picked: readonly string[], sections: readonly SectionAvailability[]): SeatRef[] {
  const refs = new Map<string, SeatRef>();
  for (const section of sections) {
    if (section.kind !== 'reserved') continue;
    for (const seat of section.seats) refs.set(seat.seat, { section: section.name, row: seat.row, number: seat.number, text: seat.seat });
  }
  return picked.map((label) => refs.get(label) ?? { row: label, number: 0, text: label });
}
