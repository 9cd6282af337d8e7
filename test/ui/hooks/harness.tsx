import { Text } from 'ink';
import { render } from 'ink-testing-library';
import type { EventSummary, Services } from '../../../src/ui/services.js';
import type { SectionAvailability, SeatView } from '../../../src/core/inventory/availability.js';
import type { TierView } from '../../../src/core/events/tiers.js';
import type { OrderView, TicketView } from '../../../src/core/orders/view.js';
import { waitUntil, withHelpers } from '../helpers.js';

const rendered = new Set<{ unmount(): void }>();

export function renderHook<T>(hook: () => T, show: (value: T) => string = () => '') {
  const result = { current: undefined as unknown as T };
  function Harness() {
    result.current = hook();
    return <Text>{show(result.current) || ' '}</Text>;
  }
  const app = withHelpers(render(<Harness />));
  rendered.add(app);
  return Object.assign(app, { result });
}

/** Unmounts every harness still on screen (its timers stop): each test file's afterEach. */
export function unmountAll(): void {
  for (const app of rendered) app.unmount();
  rendered.clear();
}

/** Waits until `check` holds (React state lands a tick after the call that set it). */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  await waitUntil(check, timeoutMs, 'the hook');
}

export const EVENT: EventSummary = {
  id: 7,
  name: 'Gala',
  venue: 'Hall',
  timezone: 'Europe/London',
  startsAt: '2030-01-01T19:30:00+00:00',
  currency: 'EUR',
  orderLimit: 10,
  counts: { capacity: 4, available: 4, held: 0, sold: 0, blocked: 0 },
};

export const TIERS: TierView[] = [
  { id: 1, name: 'Adult', prices: [{ zone: null, price: 2500 }], currency: 'EUR' },
  { id: 2, name: 'Child', prices: [{ zone: null, price: 1250 }], currency: 'EUR' },
  { id: 3, name: 'Guest', prices: [], currency: 'EUR' },
];

export function seat(label: string, status: SeatView['status'] = 'available'): SeatView {
  const [row, n] = label.split('-');
  return { seat: label, row, number: Number(n), zone: null, status, accessible: false, obstructed: false, x: null, y: null };
}

export function stalls(seats: SeatView[]): SectionAvailability {
  return { id: 1, name: 'Stalls', kind: 'reserved', capacity: seats.length, available: seats.filter((s) => s.status === 'available').length, held: 0, sold: 0, blocked: 0, seats };
}

export const PIT: SectionAvailability = { id: 2, name: 'Pit', kind: 'ga', zone: null, capacity: 50, available: 50, held: 0, sold: 0 };

export function ticket(id: number, seatLabel: string | null, tier = 'Adult', price = 2500): TicketView {
  return { id, code: null, status: 'held', tier, price, currency: 'EUR', section: seatLabel ? 'Stalls' : 'Pit', row: null, number: null, seat: seatLabel, issuedAt: null };
}

export function order(code: string, overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: code,
    code,
    status: 'pending',
    event: { id: EVENT.id, name: EVENT.name, startsAt: EVENT.startsAt, venue: EVENT.venue, timezone: EVENT.timezone },
    total: 2500,
    paid: 0,
    refunded: 0,
    currency: 'EUR',
    customer: null,
    holderName: null,
    operator: 'ann',
    channel: 'tui',
    createdAt: '2030-01-01T10:00:00Z',
    expiresAt: null,
    paidAt: null,
    tickets: [],
    payments: [],
    ...overrides,
  };
}

const METHODS = ['listEvents', 'seatMap', 'version', 'tiers', 'hold', 'changeTiers', 'release', 'pay', 'checkIn', 'admissions'] as const;

/** Services that record each call and fail loudly when a hook calls one the test did not give. */
export function fakeServices(given: Partial<Services> = {}): Services & { calls: string[] } {
  const calls: string[] = [];
  let keys = 0;
  const methods: Record<string, unknown> = {};
  for (const name of METHODS) {
    const answer = given[name] as ((...args: unknown[]) => unknown) | undefined;
    methods[name] = (...args: unknown[]) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return answer ? answer(...args) : Promise.reject(new Error(`unexpected call: ${name}`));
    };
  }
  return {
    actor: { staffId: null, name: 'ann', role: 'manager' },
    now: () => new Date('2030-01-01T10:00:00Z'),
    newPaymentKey: () => `key-${++keys}`,
    tickets: {},
    ...given,
    ...methods,
    calls,
  } as Services & { calls: string[] };
}
