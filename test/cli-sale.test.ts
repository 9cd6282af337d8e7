// A whole sale from a script, through the real binary: set-up, sale with change, the outbox,
// double sales, check-in, refunds, idempotency, holds and their expiry, best available, general
// admission and order listings. The steps share one database; each step makes what it needs (a
// sale, a hold) on first use, so any one of them can also run alone (vitest -t).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type CliResult } from './helpers/cli.js';
import { databaseState, querySync } from './helpers/db.js';

const MINUTE = 60_000;

const dbState = (target: string) => databaseState(target);

interface OutboxRow {
  seq: number;
  type: string;
  subject: string;
  data: Record<string, any>;
}

/** The outbox rows after sequence number `after`, in order. */
function outboxAfter(target: string, after: number): OutboxRow[] {
  const rows = querySync<Omit<OutboxRow, 'data'> & { data: string }>(target, 'select seq, type, subject, data from outbox where seq > ? order by seq', after);
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data) }));
}

const query = querySync;

/** The `{"error":{…}}` object a --json run wrote to stderr (the whole of stderr, one object). */
function jsonError(r: CliResult): { code: string; message: string } {
  expect(r.stdout).toBe('');
  return JSON.parse(r.stderr).error;
}

describe('a whole sale from a script', () => {
  const box = sandbox();
  afterAll(() => box.cleanup());

  /** Runs a command that must succeed; a failure shows its stderr. */
  const ok = (args: string[], env: Record<string, string> = {}): CliResult => {
    const r = box.run(args, env);
    expect(r.code, `boxoffice ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  const seatStatus = (event: string, env: Record<string, string> = {}) => {
    const sections = ok(['seats', event, '--json'], env).json as any[];
    const map = new Map<string, string>();
    for (const s of sections) for (const seat of s.seats ?? []) map.set(seat.seat, seat.status);
    return { map, sections };
  };

  /** Runs once, on first use; later calls return the first result. */
  function once<T>(make: () => T): () => T {
    let made: { value: T } | undefined;
    return () => (made ??= { value: make() }).value;
  }

  // The set-up, as a script would do it. Its results are checked by the first step.
  const setup: Record<string, any> = {};
  beforeAll(() => {
    ok(['init']);
    setup.venue = ok(['venue', 'add', 'Riverside', '--city', 'Porto', '--timezone', 'Europe/Lisbon', '--json']).json;
    ok(['venue', 'seatmap', 'generate', 'Riverside', '--section', 'Stalls', '--rows', 'A-D', '--seats', '1-8']);
    ok(['venue', 'seatmap', 'generate', String(setup.venue.id), '--section', 'Floor', '--capacity', '6']);
    setup.draft = ok(['event', 'add', 'Hamlet', '--venue', 'Riverside', '--starts', '2027-03-01T20:00', '--json']).json;
    setup.adult = ok(['event', 'price', 'Hamlet', '--tier', 'Adult', '--price', '25.00', '--json']).json;
    setup.child = ok(['event', 'price', 'Hamlet', '--tier', 'Child', '--price', '12.50', '--json']).json;
    setup.published = ok(['event', 'publish', String(setup.draft.id), '--json']).json;

    // A second, tiny venue and event: one row of five seats, for best available and wrong-event scans.
    ok(['venue', 'add', 'Studio', '--city', 'Porto', '--timezone', 'Europe/Lisbon']);
    ok(['venue', 'seatmap', 'generate', 'Studio', '--section', 'Room', '--rows', 'A-A', '--seats', '1-5']);
    ok(['event', 'add', 'Recital', '--venue', 'Studio', '--starts', '2027-03-05T19:00']);
    ok(['event', 'price', 'Recital', '--tier', 'Adult', '--price', '10']);
    ok(['event', 'publish', 'Recital']);
  });

  /** The first sale: A-4 (Adult) and A-5 (Child) for cash, 50.00 tendered; with the outbox seq before it. */
  const firstSale = once(() => {
    const seqBefore = dbState(box.db).maxSeq;
    const order = ok(['sell', 'Hamlet', '--seats', 'A-4,A-5', '--tier', 'Adult=1,Child=1', '--pay', 'cash', '--tendered', '50', '--json']).json;
    return { order, seqBefore, adultTicket: order.tickets[0]?.code as string, childTicket: order.tickets[1]?.code as string };
  });

  it('sets up from a script: init, venue, seat map, event, prices, publish', () => {
    expect(setup.venue).toMatchObject({ name: 'Riverside', city: 'Porto', timezone: 'Europe/Lisbon' });
    expect(setup.draft).toMatchObject({ name: 'Hamlet', status: 'draft', currency: 'EUR' });
    expect(setup.adult.prices).toEqual([expect.objectContaining({ price: 2500 })]);
    expect(setup.child.prices).toEqual([expect.objectContaining({ price: 1250 })]);
    expect(setup.published).toMatchObject({ id: setup.draft.id, status: 'on_sale' });

    const { map, sections } = seatStatus('Hamlet');
    expect(map.size).toBe(32);
    expect([...map.values()].every((s) => s === 'available')).toBe(true);
    expect(sections.find((s) => s.name === 'Floor')).toMatchObject({ capacity: 6, available: 6, held: 0, sold: 0 });
  });

  it('sells two seats for cash: paid, two valid tickets with codes, change in minor units, events in the outbox', () => {
    const { order, seqBefore } = firstSale();

    expect(order).toMatchObject({ status: 'paid', total: 3750, currency: 'EUR' });
    expect(order.code).toMatch(/^[A-Z0-9]{4,}$/);
    expect(order.tickets).toHaveLength(2);
    const [adult, child] = order.tickets;
    expect(adult).toMatchObject({ status: 'valid', tier: 'Adult', price: 2500, section: 'Stalls', row: 'A', number: 4, seat: 'A-4' });
    expect(child).toMatchObject({ status: 'valid', tier: 'Child', price: 1250, section: 'Stalls', row: 'A', number: 5, seat: 'A-5' });
    for (const t of order.tickets) expect(t.code).toMatch(/^[0-9A-Z]{26,}$/); // ≥128 bits in base 32
    expect(adult.code).not.toBe(child.code);

    expect(order.payments).toHaveLength(1);
    expect(order.payments[0]).toMatchObject({ method: 'cash', amount: 3750, tendered: 5000, change: 1250, currency: 'EUR' });
    for (const v of [order.total, order.payments[0].amount, order.payments[0].tendered, order.payments[0].change]) expect(Number.isInteger(v)).toBe(true);

    const events = outboxAfter(box.db, seqBefore);
    expect(events.map((e) => e.type).sort()).toEqual(['order.created', 'order.paid', 'payment.created', 'ticket.issued', 'ticket.issued']);
    for (const e of events.filter((x) => x.type.startsWith('order.') || x.type.startsWith('payment.'))) expect(e.subject).toBe(`order/${order.code}`);
    expect(events.find((e) => e.type === 'payment.created')!.data).toMatchObject({ method: 'cash', amount: 3750, tendered: 5000, change: 1250 });
    // The order as stored agrees with what was printed.
    expect(ok(['order', 'show', order.code.toLowerCase(), '--json']).json).toMatchObject({ code: order.code, status: 'paid', total: 3750 });
  });

  it('selling one of those seats again exits 4, names the seat and writes nothing', () => {
    firstSale();
    const before = dbState(box.db);
    const again = box.run(['sell', 'Hamlet', '--seats', 'A-6,A-5', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(again.code).toBe(4);
    const error = jsonError(again);
    expect(error.code).toBe('seat_unavailable');
    expect(error.message).toMatch(/A-5/);
    expect(dbState(box.db)).toEqual(before);
    expect(seatStatus('Hamlet').map.get('A-6')).toBe('available');
  });

  it('check-in admits a code once; the second scan exits 4 naming the first scan time and gate', () => {
    const { order, adultTicket } = firstSale();
    const first = ok(['checkin', adultTicket, '--gate', 'North', '--json'], { BOXOFFICE_NOW: '2027-03-01T19:31:00Z' }).json;
    expect(first).toMatchObject({ code: adultTicket, gate: 'North', order: order.code });
    expect(first.scannedAt).toMatch(/^2027-03-01T19:31/);

    const second = box.run(['checkin', adultTicket, '--gate', 'South'], { BOXOFFICE_NOW: '2027-03-01T19:40:00Z' });
    expect(second.code).toBe(4);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/19:31/);
    expect(second.stderr).toMatch(/North/);

    const third = box.run(['checkin', adultTicket, '--json']);
    expect(third.code).toBe(4);
    expect(jsonError(third).code).toBe('ticket_used');
    expect(query(box.db, 'select count(*) as n from checkins')).toEqual([{ n: 1 }]);
  });

  it('a ticket for another event exits 4 ticket_wrong_event; an unknown code exits 3 ticket_unknown', () => {
    const { childTicket } = firstSale();
    const before = dbState(box.db);
    const wrong = box.run(['checkin', childTicket, '--event', 'Recital', '--json']);
    expect(wrong.code).toBe(4);
    expect(jsonError(wrong).code).toBe('ticket_wrong_event');

    const unknown = box.run(['checkin', '7'.repeat(26), '--json']);
    expect(unknown.code).toBe(3);
    expect(jsonError(unknown).code).toBe('ticket_unknown');
    expect(dbState(box.db)).toEqual(before);
  });

  it('refunding one ticket voids it (partially_refunded, a refund payment) and its seat sells again', () => {
    const { order, adultTicket, childTicket } = firstSale();
    const refunded = ok(['order', 'refund', order.code, '--tickets', childTicket, '--yes', '--json']).json;
    expect(refunded.status).toBe('partially_refunded');
    expect(refunded.tickets.find((t: any) => t.code === childTicket).status).toBe('void');
    expect(refunded.tickets.find((t: any) => t.code === adultTicket).status).not.toBe('void');
    expect(refunded.payments).toHaveLength(2);
    expect(refunded.payments[1]).toMatchObject({ kind: 'refund', method: 'cash', amount: 1250, currency: 'EUR' });

    const scan = box.run(['checkin', childTicket, '--json']);
    expect(scan.code).toBe(4);
    expect(jsonError(scan).code).toBe('ticket_void');

    expect(seatStatus('Hamlet').map.get('A-5')).toBe('available');
    const resale = ok(['sell', 'Hamlet', '--seats', 'A-5', '--tier', 'Child', '--pay', 'cash', '--json']).json;
    expect(resale).toMatchObject({ status: 'paid', total: 1250 });
    expect(resale.tickets[0]).toMatchObject({ seat: 'A-5', status: 'valid' });
  });

  it('a full refund makes the order refunded and frees its seats', () => {
    const sale = ok(['sell', 'Hamlet', '--seats', 'B-1,B-2', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'TERM-88', '--json']).json;
    expect(sale.payments[0]).toMatchObject({ method: 'card', amount: 5000, reference: 'TERM-88' });

    const refunded = ok(['order', 'refund', sale.code, '--yes', '--json']).json;
    expect(refunded).toMatchObject({ status: 'refunded', paid: 5000, refunded: 5000 });
    expect(refunded.tickets.map((t: any) => t.status)).toEqual(['void', 'void']);
    expect(refunded.payments[1]).toMatchObject({ kind: 'refund', method: 'card', amount: 5000 });

    const { map } = seatStatus('Hamlet');
    expect([map.get('B-1'), map.get('B-2')]).toEqual(['available', 'available']);
  });

  it('the same idempotency key and request returns the same order and charges once; a different request is a conflict', () => {
    const sell = (seats: string) => ['sell', 'Hamlet', '--seats', seats, '--tier', 'Adult', '--pay', 'cash', '--tendered', '30', '--idempotency-key', 'till1-0001', '--json'];
    const first = ok(sell('C-1')).json;
    expect(first.status).toBe('paid');

    const before = dbState(box.db);
    const retry = ok(sell('C-1')).json;
    expect(retry.code).toBe(first.code);
    expect(retry.tickets.map((t: any) => t.code)).toEqual(first.tickets.map((t: any) => t.code));
    expect(dbState(box.db)).toEqual(before);
    expect(query(box.db, 'select count(*) as n from payments p join orders o on o.id = p.order_id where o.code = ?', first.code)).toEqual([{ n: 1 }]);

    const other = box.run(sell('C-2'));
    expect(other.code).toBe(4);
    expect(jsonError(other).code).toBe('idempotency_conflict');
    expect(dbState(box.db)).toEqual(before);
    expect(seatStatus('Hamlet').map.get('C-2')).toBe('available');
  });

  it('--best N with no adjacent block of N exits 4 naming the largest free block; never a silent split', () => {
    ok(['sell', 'Recital', '--seats', 'A-3', '--tier', 'Adult', '--pay', 'cash']); // Room row A: 1 2 _ 4 5
    const before = dbState(box.db);
    const three = box.run(['sell', 'Recital', '--best', '3', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(three.code).toBe(4);
    const error = jsonError(three);
    expect(error.code).toBe('no_adjacent_seats');
    expect(error.message).toMatch(/largest free block is 2\b/);
    expect(error.message).toMatch(/row A/);
    expect(dbState(box.db)).toEqual(before);

    const two = ok(['sell', 'Recital', '--best', '2', '--tier', 'Adult', '--pay', 'cash', '--json']).json;
    const seats = two.tickets.map((t: any) => [t.row, t.number]);
    expect(seats.length).toBe(2);
    expect(seats[0][0]).toBe(seats[1][0]);
    expect(Math.abs(seats[0][1] - seats[1][1])).toBe(1);
  });

  it('--quantity sells general-admission places and respects the capacity', () => {
    const four = ok(['sell', 'Hamlet', '--quantity', '4', '--tier', 'Adult', '--pay', 'cash', '--json']).json;
    expect(four).toMatchObject({ status: 'paid', total: 10000 });
    expect(four.tickets).toHaveLength(4);
    for (const t of four.tickets) expect(t).toMatchObject({ section: 'Floor', seat: null, status: 'valid' });
    expect(seatStatus('Hamlet').sections.find((s) => s.name === 'Floor')).toMatchObject({ capacity: 6, sold: 4, available: 2 });

    const before = dbState(box.db);
    const three = box.run(['sell', 'Hamlet', '--quantity', '3', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(three.code).toBe(4);
    expect(jsonError(three).message).toMatch(/\b2\b/);
    expect(dbState(box.db)).toEqual(before);

    ok(['sell', 'Hamlet', '--quantity', '2', '--tier', 'Child', '--pay', 'cash']);
    expect(seatStatus('Hamlet').sections.find((s) => s.name === 'Floor')).toMatchObject({ sold: 6, available: 0 });
    expect(box.run(['sell', 'Hamlet', '--quantity', '1', '--tier', 'Adult', '--pay', 'cash']).code).toBe(4);
  });

  describe('holds', () => {
    // The clock starts when the first hold is made, not when the file is collected: a moved clock
    // may not date a change before what the tests above have recorded since.
    let t0: number | undefined;
    const at = (minutes: number) => ({ BOXOFFICE_NOW: new Date((t0 ??= Date.now()) + minutes * MINUTE).toISOString() });
    const firstHold = once(() => ok(['hold', 'Hamlet', '--seats', 'D-1,D-2', '--tier', 'Adult', '--minutes', '15', '--json'], at(0)).json);

    it('hold --minutes 15 makes a pending order with held tickets', () => {
      const hold = firstHold();
      expect(hold).toMatchObject({ status: 'pending', total: 5000, currency: 'EUR', payments: [] });
      expect(hold.tickets.map((t: any) => [t.seat, t.status])).toEqual([
        ['D-1', 'held'],
        ['D-2', 'held'],
      ]);
      const lasts = Date.parse(hold.expiresAt) - Date.parse(hold.createdAt);
      expect(Math.abs(lasts - 15 * MINUTE)).toBeLessThan(2000);

      const { map } = seatStatus('Hamlet', at(14));
      expect([map.get('D-1'), map.get('D-2')]).toEqual(['held', 'held']);
    });

    it('16 minutes later the seats read as available, order pay exits 4, and they sell again (recording order.expired)', () => {
      const { code } = firstHold();
      const { map } = seatStatus('Hamlet', at(16));
      expect([map.get('D-1'), map.get('D-2')]).toEqual(['available', 'available']);

      const before = dbState(box.db);
      const pay = box.run(['order', 'pay', code, '--pay', 'cash', '--json'], at(16));
      expect(pay.code).toBe(4);
      expect(jsonError(pay).code).toBe('hold_expired');
      expect(dbState(box.db)).toEqual(before);

      const sale = ok(['sell', 'Hamlet', '--seats', 'D-1,D-2', '--tier', 'Adult', '--pay', 'cash', '--json'], at(16)).json;
      expect(sale.status).toBe('paid');
      const expired = outboxAfter(box.db, before.maxSeq).filter((e) => e.type === 'order.expired');
      expect(expired.map((e) => e.subject)).toEqual([`order/${code}`]);
      expect(ok(['order', 'show', code, '--json']).json.status).toBe('expired');

      const late = box.run(['order', 'pay', code, '--pay', 'cash', '--json'], at(17));
      expect(late.code).toBe(4);
    });

    it('boxoffice expire records order.expired for a lapsed hold, and only once it has lapsed', () => {
      const hold = ok(['hold', 'Hamlet', '--seats', 'D-5', '--tier', 'Child', '--json'], at(20)).json;
      expect(hold.status).toBe('pending');

      const early = ok(['expire', '--json'], at(34)).json;
      expect(early.expired).not.toContain(hold.code);

      const seq = dbState(box.db).maxSeq;
      const due = ok(['expire', '--json'], at(36)).json;
      expect(due.expired).toContain(hold.code);
      expect(
        outboxAfter(box.db, seq)
          .filter((e) => e.type === 'order.expired')
          .map((e) => e.subject),
      ).toEqual([`order/${hold.code}`]);
      expect(seatStatus('Hamlet', at(36)).map.get('D-5')).toBe('available');
    });
  });

  it('order list: TSV with a header row when piped, a JSON array with --json', () => {
    const { order } = firstSale();
    const orders = ok(['order', 'list', '--json']).json as any[];
    expect(Array.isArray(orders)).toBe(true);
    expect(orders.map((o) => o.code)).toContain(order.code);
    for (const o of orders) {
      expect(Number.isInteger(o.total)).toBe(true);
      expect(o.currency).toBe('EUR');
    }

    const tsv = ok(['order', 'list']).stdout.trimEnd().split('\n');
    const header = tsv[0].split('\t');
    expect(header).toEqual(expect.arrayContaining(['code', 'status', 'total', 'currency']));
    const rows = tsv.slice(1).map((line) => line.split('\t'));
    expect(rows).toHaveLength(orders.length);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const code = header.indexOf('code');
    const status = header.indexOf('status');
    expect(rows.map((r) => r[code]).sort()).toEqual(orders.map((o) => o.code).sort());
    for (const o of orders) expect(rows.find((r) => r[code] === o.code)![status]).toBe(o.status);
  });
});
