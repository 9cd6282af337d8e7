import { exitCodeFor } from '../../src/cli/runtime/exit-codes.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { sellSeats, holdSeats, payOrder } from '../../src/core/orders/sale.js';
import { refundOrder } from '../../src/core/orders/refund.js';
import { cancelOrder, expireHolds } from '../../src/core/orders/lifecycle.js';
import { checkIn, reissueTicket } from '../../src/core/tickets/checkin.js';
import { addLead, listLeads } from '../../src/core/customers/leads.js';
import { blockSeats, releaseSeats } from '../../src/core/inventory/blocks.js';
import { addStaff, authenticate } from '../../src/core/staff/staff.js';
import { eventAvailability } from '../../src/core/inventory/availability.js';
import { addEvent, findEvent, publishEvent } from '../../src/core/events/events.js';
import { setPrice } from '../../src/core/events/tiers.js';
import { cancelEvent } from '../../src/core/events/cancel.js';
import { readOutbox } from '../../src/core/outbox/outbox.js';
import { seats } from '../helpers/requests.js';
import { refusal } from '../helpers/session.js';

let core: CoreFixture;
let event: string;

beforeEach(async () => {
  core = await openCore();
  event = (await seedGala(core.ctx, { orderLimit: 6 })).eventId;
});
afterEach(async () => core.close());

async function counts() {
  const n = async (t: string) => (await core.query<{ n: number }>(`select count(*) n from ${t}`))[0].n;
  return { orders: await n('orders'), tickets: await n('tickets'), payments: await n('payments'), claims: await n('seat_claims'), outbox: await n('outbox'), customers: await n('customers') };
}

async function seatStatus(seat: string) {
  const { event: e, venue } = await findEvent(core.ctx.db, event);
  const sections = await eventAvailability(core.ctx, e, venue, core.clock.now().toISOString());
  for (const s of sections) if (s.kind === 'reserved') for (const x of s.seats) if (x.seat === `Stalls:${seat}` || x.seat === seat) return x.status;
  throw new Error(`no seat ${seat}`);
}

const cash = { method: 'cash' as const };

describe('selling', () => {
  it('sells named seats for cash with change, issuing one valid ticket each', async () => {
    const order = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'C', number: 5 },
        { row: 'C', number: 6 },
      ],
      tier: [
        { name: 'Adult', count: 1 },
        { name: 'Child', count: 1 },
      ],
      payment: { method: 'cash', tendered: 4000 },
    });
    expect(order.status).toBe('paid');
    expect(order.total).toBe(3750);
    expect(order.tickets.map((t) => [t.seat, t.tier, t.price, t.status])).toEqual([
      ['C-5', 'Adult', 2500, 'valid'],
      ['C-6', 'Child', 1250, 'valid'],
    ]);
    expect(order.payments[0]).toMatchObject({ method: 'cash', amount: 3750, tendered: 4000, change: 250 });
    const types = (await readOutbox(core.ctx)).filter((e) => e.subject === `order/${order.code}` || e.data.order === order.code).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.created', 'ticket.issued', 'payment.created', 'order.paid']));
  });

  it('a refused sale writes nothing at all, not even a sweep of expired holds', async () => {
    const hold = await holdSeats(core.ctx, { event, seats: [{ row: 'A', number: 1 }], tier: [{ name: 'Adult' }], minutes: 5 });
    core.clock.advance(10);
    const before = await counts();
    const err = await refusal(sellSeats(core.ctx, { event, seats: [{ row: 'A', number: 2 }], tier: [{ name: 'Nobody' }], payment: cash }));
    expect(err.code).toBe('not_found');
    expect(await counts()).toEqual(before);
    // The expired hold is still recorded as pending, yet reads treat its seat as free.
    expect(await core.query('select status from orders where code = ?', hold.code)).toEqual([{ status: 'pending' }]);
    expect(await seatStatus('A-1')).toBe('available');
  });

  it('refuses a seat that is taken, held or blocked, naming it (exit 4)', async () => {
    await sellSeats(core.ctx, { event, seats: [{ row: 'B', number: 1 }], tier: [{ name: 'Adult' }], payment: cash });
    await holdSeats(core.ctx, { event, seats: [{ row: 'B', number: 2 }], tier: [{ name: 'Adult' }] });
    await blockSeats(core.ctx, { event, seats: [{ row: 'B', number: 3 }], reason: 'house seat' });
    for (const [seat, word] of [
      ['B-1', 'sold'],
      ['B-2', 'held'],
      ['B-3', 'blocked (house seat)'],
    ]) {
      const err = await refusal(sellSeats(core.ctx, { event, seats: seats(`A-9,${seat}`), tier: [{ name: 'Adult' }], payment: cash }));
      expect(err.code).toBe('seat_unavailable');
      expect(exitCodeFor(err)).toBe(4);
      expect(err.message).toContain(`${seat} is ${word}`);
    }
    expect(await seatStatus('A-9')).toBe('available');
  });

  it('never offers a blocked seat as best available; a released one sells again', async () => {
    await blockSeats(core.ctx, {
      event,
      seats: [
        { row: 'A', number: 10 },
        { row: 'A', number: 11 },
      ],
    });
    const best = await sellSeats(core.ctx, { event, best: 2, tier: [{ name: 'Adult' }], payment: cash });
    expect(best.tickets.map((t) => t.seat)).not.toContain('A-10');
    await releaseSeats(core.ctx, {
      event,
      seats: [
        { row: 'A', number: 10 },
        { row: 'A', number: 11 },
      ],
    });
    const again = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'A', number: 10 },
        { row: 'A', number: 11 },
      ],
      tier: [{ name: 'Adult' }],
      payment: cash,
    });
    expect(again.status).toBe('paid');
  });

  it('enforces the per-order limit before anything else (exit 2)', async () => {
    const err = await refusal(sellSeats(core.ctx, { event, best: 7, tier: [{ name: 'Adult' }], payment: cash }));
    expect(err.code).toBe('order_limit_exceeded');
    expect(exitCodeFor(err)).toBe(2);
  });

  it('sells general admission up to capacity and no further', async () => {
    await sellSeats(core.ctx, { event, quantity: 6, tier: [{ name: 'Adult' }], payment: cash });
    for (let i = 0; i < 7; i++) await sellSeats(core.ctx, { event, quantity: 6, tier: [{ name: 'Adult' }], payment: cash });
    const err = await refusal(sellSeats(core.ctx, { event, quantity: 6, tier: [{ name: 'Adult' }], payment: cash }));
    expect(err.code).toBe('sold_out');
    expect(err.message).toContain('only 2 places left');
  });

  it('names a seat by its section whatever the case, accents and all (Balcão, BALCÃO)', async () => {
    const { generateReservedBlock } = await import('../../src/core/venues/venues.js');
    await generateReservedBlock(core.ctx, 'Main Hall', { section: 'Balcão', rows: 'A', seats: '1-4' });
    const order = await sellSeats(core.ctx, {
      event,
      seats: [
        { section: 'BALCÃO', row: 'A', number: 1 },
        { section: 'balcão', row: 'a', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: cash,
    });
    expect(order.tickets.map((t) => [t.section, t.seat])).toEqual([
      ['Balcão', 'Balcão:A-1'],
      ['Balcão', 'Balcão:A-2'],
    ]);
    // Without a section, a seat only one section has needs none; one several have is ambiguous.
    expect((await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 20 }], tier: [{ name: 'Adult' }], payment: cash })).tickets[0].section).toBe('Stalls');
    expect((await refusal(sellSeats(core.ctx, { event, seats: [{ row: 'A', number: 3 }], tier: [{ name: 'Adult' }], payment: cash }))).code).toBe('ambiguous_reference');
  });
});

describe('idempotency', () => {
  it('the same key and request returns the first order and charges once', async () => {
    const request = { event, seats: seats('D-1,D-2'), tier: [{ name: 'Adult' }], payment: cash, idempotencyKey: 'till-1-0001' };
    const first = await sellSeats(core.ctx, request);
    const second = await sellSeats(core.ctx, request);
    expect(second.code).toBe(first.code);
    expect(second.replayed).toBe(true);
    expect((await counts()).payments).toBe(1);
  });

  it('the same key with a different request is a conflict (exit 4)', async () => {
    await sellSeats(core.ctx, { event, seats: [{ row: 'D', number: 1 }], tier: [{ name: 'Adult' }], payment: cash, idempotencyKey: 'k' });
    const err = await refusal(sellSeats(core.ctx, { event, seats: [{ row: 'D', number: 2 }], tier: [{ name: 'Adult' }], payment: cash, idempotencyKey: 'k' }));
    expect(err.code).toBe('idempotency_conflict');
    expect(exitCodeFor(err)).toBe(4);
  });

  it('the key stands for the parsed request: the same seats and money typed another way replay', async () => {
    const first = await sellSeats(core.ctx, { event, seats: seats('D-5, D-6'), tier: [{ name: 'Adult' }], payment: { method: 'cash', tendered: 6000 }, idempotencyKey: 'typed' });
    const again = await sellSeats(core.ctx, {
      idempotencyKey: 'typed',
      payment: { tendered: 6000, method: 'cash' },
      tier: [{ name: 'Adult' }],
      seats: [
        { row: 'D', number: 5 },
        { row: 'D', number: 6 },
      ],
      event,
    });
    expect(again).toMatchObject({ code: first.code, replayed: true });
    const err = await refusal(sellSeats(core.ctx, { event, seats: seats('D-5,D-6'), tier: [{ name: 'Adult' }], payment: { method: 'cash', tendered: 7000 }, idempotencyKey: 'typed' }));
    expect(err.code).toBe('idempotency_conflict');
  });

  it('a key is generated and echoed when none is given', async () => {
    const order = await sellSeats(core.ctx, { event, seats: [{ row: 'D', number: 3 }], tier: [{ name: 'Adult' }], payment: cash });
    expect(order.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('holds', () => {
  it('expire by the clock: the seats sell again and expire records order.expired', async () => {
    const hold = await holdSeats(core.ctx, {
      event,
      seats: [
        { row: 'E', number: 1 },
        { row: 'E', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      minutes: 15,
    });
    expect(hold.status).toBe('pending');
    expect(hold.tickets.every((t) => t.status === 'held' && t.code === null)).toBe(true);
    core.clock.advance(14);
    expect(await seatStatus('E-1')).toBe('held');
    core.clock.advance(2);
    expect(await seatStatus('E-1')).toBe('available');
    const err = await refusal(payOrder(core.ctx, { code: hold.code, payment: cash }));
    expect(err.code).toBe('hold_expired');
    const { expired } = await expireHolds(core.ctx);
    expect(expired).toEqual([hold.code]);
    const resold = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'E', number: 1 },
        { row: 'E', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: cash,
    });
    expect(resold.status).toBe('paid');
    expect((await readOutbox(core.ctx, { type: 'order.expired' })).map((e) => e.subject)).toEqual([`order/${hold.code}`]);
  });

  it('a sale on the same event records the expiry of lapsed holds', async () => {
    const hold = await holdSeats(core.ctx, { event, seats: [{ row: 'E', number: 5 }], tier: [{ name: 'Adult' }], minutes: 1 });
    core.clock.advance(2);
    await sellSeats(core.ctx, { event, seats: [{ row: 'E', number: 5 }], tier: [{ name: 'Adult' }], payment: cash });
    expect((await readOutbox(core.ctx, { type: 'order.expired' })).map((e) => e.subject)).toEqual([`order/${hold.code}`]);
  });

  it('a held order is paid within its time and keeps its seats', async () => {
    const hold = await holdSeats(core.ctx, {
      event,
      best: 3,
      tier: [
        { name: 'Adult', count: 2 },
        { name: 'Child', count: 1 },
      ],
    });
    core.clock.advance(10);
    const paid = await payOrder(core.ctx, { code: hold.code.toLowerCase(), payment: { method: 'card', cardRef: 'T-88' } });
    expect(paid.status).toBe('paid');
    expect(paid.tickets.map((t) => t.seat)).toEqual(hold.tickets.map((t) => t.seat));
    expect(paid.payments[0]).toMatchObject({ method: 'card', reference: 'T-88', amount: 6250 });
  });

  it('cancelling a hold frees its seats', async () => {
    const hold = await holdSeats(core.ctx, { event, seats: [{ row: 'F', number: 1 }], tier: [{ name: 'Adult' }] });
    const cancelled = await cancelOrder(core.ctx, hold.code);
    expect(cancelled.status).toBe('cancelled');
    expect(await seatStatus('F-1')).toBe('available');
  });
});

describe('refunds', () => {
  it('per ticket: voids it, puts its seat back on sale, refunds its price to the original method', async () => {
    const order = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'G', number: 1 },
        { row: 'G', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: { method: 'card', cardRef: 'X1' },
    });
    const refunded = await refundOrder(core.ctx, { code: order.code, tickets: [order.tickets[0].code!] });
    expect(refunded.status).toBe('partially_refunded');
    expect(refunded.tickets.map((t) => t.status)).toEqual(['void', 'valid']);
    expect(refunded.payments[1]).toMatchObject({ kind: 'refund', method: 'card', amount: 2500 });
    expect(await seatStatus('G-1')).toBe('available');
    const full = await refundOrder(core.ctx, { code: order.code });
    expect(full.status).toBe('refunded');
    expect(full.refunded).toBe(5000);
  });

  it('by amount: money back, tickets stay valid, never more than was paid', async () => {
    const order = await sellSeats(core.ctx, { event, seats: [{ row: 'G', number: 5 }], tier: [{ name: 'Adult' }], payment: cash });
    const partial = await refundOrder(core.ctx, { code: order.code, amount: 500 });
    expect(partial).toMatchObject({ status: 'partially_refunded', refunded: 500 });
    expect(partial.tickets[0].status).toBe('valid');
    // Within what was paid, the earlier refund is in the way: a conflict with the order now (4).
    const err = await refusal(refundOrder(core.ctx, { code: order.code, amount: 2001 }));
    expect([err.code, exitCodeFor(err), err.message]).toEqual(['invalid_state', 4, `at most €20.00 can be refunded on order ${order.code}: €5.00 of it was refunded already`]);
    // More than was ever paid is a wrong amount (2).
    expect(exitCodeFor(await refusal(refundOrder(core.ctx, { code: order.code, amount: 2501 })))).toBe(2);
  });

  it('a used ticket cannot be refunded', async () => {
    const order = await sellSeats(core.ctx, { event, seats: [{ row: 'G', number: 9 }], tier: [{ name: 'Adult' }], payment: cash });
    await checkIn(core.ctx, { code: order.tickets[0].code! });
    expect((await refusal(refundOrder(core.ctx, { code: order.code }))).code).toBe('ticket_used');
  });
});

describe('check-in', () => {
  it('admits once; a second scan names the first; void, unknown and other-event codes are told apart', async () => {
    const order = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'H', number: 1 },
        { row: 'H', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: cash,
    });
    const [a, b] = order.tickets.map((t) => t.code!);
    const admitted = await checkIn(core.ctx, { code: a.toLowerCase(), gate: '2', event });
    expect(admitted).toMatchObject({ verdict: 'admitted', seat: 'H-1', gate: '2' });
    core.clock.advance(3);
    const again = await refusal(checkIn(core.ctx, { code: a, gate: '1' }));
    expect(again.code).toBe('ticket_used');
    // The Gala is in Lisbon: in January, local time is UTC.
    expect(again.message).toContain(`at ${admitted.scannedAt.slice(11, 16)} on ${admitted.scannedAt.slice(0, 10)}, gate 2`);
    expect(again.details?.firstScan).toMatchObject({ at: `${admitted.scannedAt.slice(0, 19)}+00:00`, gate: '2' });

    await refundOrder(core.ctx, { code: order.code, tickets: [b] });
    expect((await refusal(checkIn(core.ctx, { code: b }))).code).toBe('ticket_void');
    const unknown = await refusal(checkIn(core.ctx, { code: 'NOSUCHCODE' }));
    expect([unknown.code, exitCodeFor(unknown)]).toEqual(['ticket_unknown', 3]);
  });

  it('a void or used ticket is refused as such at any event; same-named events are told apart by their start', async () => {
    const later = await addEvent(core.ctx, { name: 'Gala', venue: 'Main Hall', starts: '2027-03-08T20:00' });
    await setPrice(core.ctx, String(later.id), { tier: 'Adult', price: '25.00' });
    await publishEvent(core.ctx, String(later.id));
    const doomed = await addEvent(core.ctx, { name: 'Doomed', venue: 'Main Hall', starts: '2027-04-01T20:00' });
    await setPrice(core.ctx, String(doomed.id), { tier: 'Adult', price: '10' });
    await publishEvent(core.ctx, String(doomed.id));
    const cancelled = await sellSeats(core.ctx, { event: String(doomed.id), seats: [{ row: 'A', number: 1 }], tier: [{ name: 'Adult' }], payment: cash });
    await cancelEvent(core.ctx, String(doomed.id), { refund: true, reason: 'storm' });
    const order = await sellSeats(core.ctx, {
      event,
      seats: [
        { row: 'H', number: 7 },
        { row: 'H', number: 8 },
      ],
      tier: [{ name: 'Adult' }],
      payment: cash,
    });
    const [used, valid] = order.tickets.map((t) => t.code!);
    await checkIn(core.ctx, { code: used, event });

    // Refunded with its cancelled event, scanned at tonight's door: void, not "another event".
    const voided = await refusal(checkIn(core.ctx, { code: cancelled.tickets[0].code!, event: String(later.id) }));
    expect([voided.code, exitCodeFor(voided)]).toEqual(['ticket_void', 4]);
    expect((await refusal(checkIn(core.ctx, { code: used, event: String(later.id) }))).code).toBe('ticket_used');

    const wrong = await refusal(checkIn(core.ctx, { code: valid, event: String(later.id) }));
    expect([wrong.code, exitCodeFor(wrong)]).toEqual(['ticket_wrong_event', 4]);
    expect(wrong.message).toBe(`ticket ${valid} is for Gala (Mon, 1 Mar 2027, 20:00), not Gala (Mon, 8 Mar 2027, 20:00)`);
    expect(wrong.details).toMatchObject({ ticketEvent: 'Gala', ticketEventId: Number(event), ticketEventStartsAt: '2027-03-01T20:00:00+00:00' });
    // Nothing was admitted by the refusals; an unknown --event is still not found.
    expect((await refusal(checkIn(core.ctx, { code: cancelled.tickets[0].code!, event: 'No Such Show' }))).code).toBe('not_found');
    expect(await core.query('select count(*) n from checkins')).toEqual([{ n: 1 }]);
  });

  it('a reissued ticket voids the old code and the new one admits', async () => {
    const order = await sellSeats(core.ctx, { event, seats: [{ row: 'H', number: 5 }], tier: [{ name: 'Adult' }], payment: cash });
    const { code } = await reissueTicket(core.ctx, order.tickets[0].code!);
    expect((await refusal(checkIn(core.ctx, { code: order.tickets[0].code! }))).code).toBe('ticket_void');
    expect((await checkIn(core.ctx, { code })).verdict).toBe('admitted');
    expect(await seatStatus('H-5')).toBe('sold');
  });
});

describe('customers and leads', () => {
  it('matches a customer by email and converts their lead', async () => {
    await addLead(core.ctx, { email: 'Ana@Example.com', source: 'flyer', event });
    const first = await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 1 }], tier: [{ name: 'Adult' }], payment: cash, email: 'ana@example.com', name: 'Ana' });
    const second = await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 2 }], tier: [{ name: 'Adult' }], payment: cash, email: 'ANA@example.com' });
    expect(second.customer?.id).toBe(first.customer?.id);
    const [lead] = await listLeads(core.ctx);
    expect(lead.convertedOrder).toBe(first.code);
    expect((await readOutbox(core.ctx, { type: 'lead.converted' })).length).toBe(1);
  });

  it('a name fills a nameless customer; a later sale without a name, or with another, keeps it', async () => {
    const name = async () => (await core.query<{ name: string | null }>("select name from customers where email_key = 'kim@example.com'")).map((c) => c.name);
    await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 6 }], tier: [{ name: 'Adult' }], payment: cash, email: 'kim@example.com' });
    expect(await name()).toEqual([null]);
    await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 7 }], tier: [{ name: 'Adult' }], payment: cash, email: 'KIM@example.com', name: 'Kim Lee' });
    expect(await name()).toEqual(['Kim Lee']);
    const nameless = await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 8 }], tier: [{ name: 'Adult' }], payment: cash, email: 'kim@example.com', name: '  ' });
    expect(nameless.customer?.name).toBe('Kim Lee');
    const other = await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 9 }], tier: [{ name: 'Adult' }], payment: cash, email: 'kim@example.com', name: 'K. Lee' });
    expect([other.customer?.name, other.holderName]).toEqual(['Kim Lee', 'K. Lee']);
    expect(await name()).toEqual(['Kim Lee']);
  });
});

describe('prices', () => {
  it('a price for a zone no seat is in is refused (a typo would never apply)', async () => {
    const { setPrice } = await import('../../src/core/events/tiers.js');
    const { generateReservedBlock } = await import('../../src/core/venues/venues.js');
    await generateReservedBlock(core.ctx, 'Main Hall', { section: 'Balcony', rows: 'A', seats: '1-4', zone: 'Balcony' });
    const err = await refusal(setPrice(core.ctx, event, { tier: 'Adult', price: '18', zone: 'Balconyy' }));
    expect([err.code, exitCodeFor(err)]).toEqual(['not_found', 3]);
    expect(err.hint).toContain('Balcony');
    const tier = await setPrice(core.ctx, event, { tier: 'Adult', price: '18', zone: 'balcony' });
    expect(tier.prices).toContainEqual({ zone: 'balcony', price: 1800 });
  });
});

describe('holds and buyers', () => {
  it('the email given with a hold makes the customer and converts the lead when the hold is paid', async () => {
    await addLead(core.ctx, { email: 'zoe@example.com', source: 'radio' });
    const hold = await holdSeats(core.ctx, {
      event,
      seats: [
        { row: 'J', number: 4 },
        { row: 'J', number: 5 },
      ],
      tier: [{ name: 'Adult' }],
      email: 'Zoe@Example.com',
      name: 'Zoë',
    });
    expect(hold.customer).toBeNull();
    const paid = await payOrder(core.ctx, { code: hold.code, payment: cash });
    expect(paid.customer).toMatchObject({ email: 'Zoe@Example.com', name: 'Zoë' });
    expect(paid.holderName).toBe('Zoë');
    expect((await listLeads(core.ctx))[0].convertedOrder).toBe(hold.code);
  });
});

describe('roles', () => {
  it('once staff exist, the core checks the role: a clerk sells but may not refund or comp', async () => {
    await addStaff(core.ctx, { name: 'Ana', role: 'admin', pin: '1111' });
    const admin = await authenticate(core.ctx.db, 'ana', '1111');
    await addStaff(core.as(admin), { name: 'Rui', role: 'clerk', pin: '2222' });
    await addStaff(core.as(admin), { name: 'Door', role: 'door', pin: '3333' });
    const clerk = core.as(await authenticate(core.ctx.db, 'Rui', '2222'));
    const door = core.as(await authenticate(core.ctx.db, 'Door', '3333'));

    const order = await sellSeats(clerk, { event, seats: [{ row: 'J', number: 9 }], tier: [{ name: 'Adult' }], payment: cash });
    expect(order.operator).toBe('Rui');
    const refund = await refusal(refundOrder(clerk, { code: order.code }));
    expect([refund.code, exitCodeFor(refund)]).toEqual(['forbidden', 5]);
    expect(refund.message).toMatch(/admin or manager/);
    expect((await refusal(sellSeats(clerk, { event, seats: [{ row: 'J', number: 10 }], tier: [{ name: 'Adult' }], payment: { method: 'comp' } }))).code).toBe('forbidden');
    expect((await refusal(sellSeats(door, { event, seats: [{ row: 'J', number: 10 }], tier: [{ name: 'Adult' }], payment: cash }))).code).toBe('forbidden');
    expect((await checkIn(door, { code: order.tickets[0].code! })).verdict).toBe('admitted');
    expect((await refusal(authenticate(core.ctx.db, 'Rui', '9999'))).code).toBe('not_authenticated');
  });

  it('a comp keeps the tier price on the ticket and takes nothing', async () => {
    const order = await sellSeats(core.ctx, { event, seats: [{ row: 'J', number: 12 }], tier: [{ name: 'Adult' }], payment: { method: 'comp' } });
    expect(order.tickets[0].price).toBe(2500);
    expect(order.payments[0]).toMatchObject({ method: 'comp', amount: 0 });
  });
});
