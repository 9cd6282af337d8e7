// Random interleavings of everything a box office does, checked against the invariants that
// must hold after every step. fast-check shrinks any failure to the shortest story that breaks one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { holdSeats, payOrder, sellSeats } from '../../src/core/orders/sale.js';
import { refundOrder } from '../../src/core/orders/refund.js';
import { cancelOrder, expireHolds } from '../../src/core/orders/lifecycle.js';
import { checkIn } from '../../src/core/tickets/checkin.js';
import { showOrder } from '../../src/core/orders/view.js';
import { BoxofficeError } from '../../src/core/errors.js';
import { seats } from '../helpers/requests.js';

type Action =
  | { kind: 'sell' | 'hold'; seats: number[]; best: number | null; comp: boolean; ga: number }
  | { kind: 'pay' | 'cancel' | 'refund' | 'refund-ticket' | 'refund-amount' | 'checkin'; pick: number; amount: number }
  | { kind: 'wait'; minutes: number };

// A small house (row A of 8 seats, row B of 8, a GA floor of 50) so actions collide often.
const seat = fc.integer({ min: 0, max: 15 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('sell' as const, 'hold' as const),
    seats: fc.uniqueArray(seat, { minLength: 1, maxLength: 3 }),
    best: fc.option(fc.integer({ min: 1, max: 4 })),
    comp: fc.boolean(),
    ga: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom('pay' as const, 'cancel' as const, 'refund' as const, 'refund-ticket' as const, 'refund-amount' as const, 'checkin' as const),
    pick: fc.nat(),
    amount: fc.integer({ min: 1, max: 6000 }),
  }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
);

const label = (n: number) => `${n < 8 ? 'A' : 'B'}-${(n % 8) + 1}`;
const EXPECTED_REFUSALS = new Set(['seat_unavailable', 'no_adjacent_seats', 'sold_out', 'hold_expired', 'invalid_state', 'ticket_used', 'ticket_void', 'invalid_input']);

async function checkInvariants(core: CoreFixture, money: { paid: number; refunded: number }) {
  // Every check is a count (or sums) over plain SQL both databases understand.
  const one = async <T = { n: number }>(q: string) => (await core.query<T>(q))[0];
  const n = async (q: string) => (await one(q)).n;
  const now = core.clock.now().toISOString();
  // No seat sold twice: every sold seat has exactly one valid or used ticket, and vice versa.
  expect(await n("select count(*) n from seat_claims where status = 'sold'")).toBe(await n("select count(*) n from tickets where seat_id is not null and status in ('valid', 'used')"));
  expect(await n("select count(*) n from (select seat_id from tickets where status in ('valid','used','held') and seat_id is not null group by event_id, seat_id having count(*) > 1) twice")).toBe(0);
  // Claims agree with their tickets and orders.
  expect(
    await n(`select count(*) n from seat_claims c join tickets t on t.id = c.ticket_id join orders o on o.id = t.order_id
    where not ((c.status = 'sold' and t.status in ('valid','used') and o.status in ('paid','partially_refunded'))
            or (c.status = 'held' and t.status = 'held' and o.status = 'pending'))`),
  ).toBe(0);
  // Nothing paid without tickets, no tickets without payment.
  expect(await n("select count(*) n from orders o where o.status in ('paid','partially_refunded') and not exists (select 1 from payments p where p.order_id = o.id and p.kind = 'payment')")).toBe(0);
  expect(await n("select count(*) n from tickets t join orders o on o.id = t.order_id where t.status in ('valid','used') and o.status not in ('paid','partially_refunded')")).toBe(0);
  expect(await n("select count(*) n from orders o where o.status = 'paid' and not exists (select 1 from tickets t where t.order_id = o.id and t.status in ('valid','used'))")).toBe(0);
  // GA never over capacity, counting unexpired holds.
  const ga = await n(`select count(*) n from tickets t join orders o on o.id = t.order_id where t.seat_id is null
    and (t.status in ('valid','used') or (t.status = 'held' and o.expires_at > '${now}'))`);
  expect(ga).toBeLessThanOrEqual(50);
  // Money: what the callers were told equals what the books say; refunds never exceed payments.
  const books = await one<{ paid: number; refunded: number }>(
    "select coalesce(sum(case when kind = 'payment' then amount end), 0) paid, coalesce(sum(case when kind = 'refund' then amount end), 0) refunded from payments",
  );
  expect(books).toEqual(money);
  expect(
    await n(
      "select count(*) n from (select order_id from payments group by order_id having sum(case when kind='refund' then amount else 0 end) > sum(case when kind='payment' then amount else 0 end)) over_refunded",
    ),
  ).toBe(0);
  // Every state change has its outbox event.
  const count = (type: string) => n(`select count(*) n from outbox where type = '${type}'`);
  expect(await count('order.created')).toBe(await n('select count(*) n from orders'));
  expect(await count('order.paid')).toBe(await n('select count(*) n from orders where paid_at is not null'));
  expect(await count('payment.created')).toBe(await n("select count(*) n from payments where kind = 'payment'"));
  expect(await count('refund.created')).toBe(await n("select count(*) n from payments where kind = 'refund'"));
  expect(await count('ticket.issued')).toBe(await n('select count(*) n from tickets where code is not null'));
  expect(await count('ticket.checked_in')).toBe(await n('select count(*) n from checkins'));
  expect(await count('order.cancelled')).toBe(await n("select count(*) n from orders where status = 'cancelled'"));
  expect(await count('order.expired')).toBe(await n("select count(*) n from orders where status = 'expired'"));
}

describe('invariants under random interleavings', () => {
  it('hold, sell, pay, refund, expire, cancel and check-in never break the books', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 30 }), async (actions) => {
        const core = await openCore();
        try {
          const { eventId: event } = await seedSmallHouse(core);
          const orders: string[] = [];
          const money = { paid: 0, refunded: 0 };
          for (const a of actions) {
            try {
              await perform(core, event, a, orders, money);
            } catch (err) {
              if (!(err instanceof BoxofficeError && EXPECTED_REFUSALS.has(err.code))) throw err;
            }
            await checkInvariants(core, money);
          }
        } finally {
          await core.close();
        }
      }),
      { numRuns: 40 },
    );
    // 40 fresh databases: ~25 s alone on PostgreSQL here, over a minute beside the other worker.
  }, 180_000);
});

async function seedSmallHouse(core: CoreFixture) {
  const { addVenue, generateReservedBlock, generateGaSection } = await import('../../src/core/venues/venues.js');
  const { addEvent, publishEvent } = await import('../../src/core/events/events.js');
  const { setPrice } = await import('../../src/core/events/tiers.js');
  await addVenue(core.ctx, { name: 'Small', city: 'Braga' });
  await generateReservedBlock(core.ctx, 'Small', { section: 'Stalls', rows: 'A-B', seats: '1-8' });
  await generateGaSection(core.ctx, 'Small', { section: 'Floor', capacity: 50 });
  const e = await addEvent(core.ctx, { name: 'Show', venue: 'Small', starts: '2027-03-01T20:00' });
  await setPrice(core.ctx, String(e.id), { tier: 'Adult', price: '20' });
  await publishEvent(core.ctx, String(e.id));
  return { eventId: String(e.id) };
}

async function perform(core: CoreFixture, event: string, a: Action, orders: string[], money: { paid: number; refunded: number }) {
  const pickOrder = (n: number) => orders[n % Math.max(orders.length, 1)];
  switch (a.kind) {
    case 'sell':
    case 'hold': {
      const selection = a.ga > 0 ? { quantity: a.ga } : a.best !== null ? { best: a.best } : { seats: seats(a.seats.map(label).join(',')) };
      if (a.kind === 'hold') {
        const held = await holdSeats(core.ctx, { event, ...selection, tier: [{ name: 'Adult' }], minutes: 15 });
        orders.push(held.code);
      } else {
        const sold = await sellSeats(core.ctx, { event, ...selection, tier: [{ name: 'Adult' }], payment: { method: a.comp ? 'comp' : 'cash' } });
        orders.push(sold.code);
        money.paid += sold.payments[0].amount;
      }
      return;
    }
    case 'pay': {
      if (!orders.length) return;
      const paid = await payOrder(core.ctx, { code: pickOrder(a.pick), payment: { method: 'card', cardRef: 'T' } });
      money.paid += paid.payments[0].amount;
      return;
    }
    case 'cancel':
      if (orders.length) await cancelOrder(core.ctx, pickOrder(a.pick));
      return;
    case 'refund':
    case 'refund-ticket':
    case 'refund-amount': {
      if (!orders.length) return;
      const code = pickOrder(a.pick);
      const before = await showOrder(core.ctx, code);
      const request = a.kind === 'refund' ? { code } : a.kind === 'refund-amount' ? { code, amount: a.amount } : { code, tickets: [before.tickets.find((t) => t.code)?.code ?? 'NONE'] };
      const after = await refundOrder(core.ctx, request);
      money.refunded += after.refunded - before.refunded;
      return;
    }
    case 'checkin': {
      if (!orders.length) return;
      const order = await showOrder(core.ctx, pickOrder(a.pick));
      const ticket = order.tickets.find((t) => t.code);
      if (ticket) await checkIn(core.ctx, { code: ticket.code! });
      return;
    }
    case 'wait':
      core.clock.advance(a.minutes);
      if (a.minutes > 10) await expireHolds(core.ctx);
      return;
  }
}
