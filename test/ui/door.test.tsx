// Door mode: a scanner types a code and Enter; the core admits it once; every refusal gets its
// own large verdict; counts per gate include other door terminals.
import { afterEach, describe, expect, it } from 'vitest';
import { sellSeats } from '../../src/core/orders/sale.js';
import { refundOrder } from '../../src/core/orders/refund.js';
import { checkIn } from '../../src/core/tickets/checkin.js';
import { addEvent, publishEvent } from '../../src/core/events/events.js';
import { setPrice } from '../../src/core/events/tiers.js';
import { cancelEvent } from '../../src/core/events/cancel.js';
import type { Actor } from '../../src/core/staff/permissions.js';
import { KEY, renderApp, uiCore, type UiFixture } from './helpers.js';
import { seats } from '../helpers/requests.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

async function openDoor(actor?: Actor) {
  const app = renderApp(fx, actor ? { actor } : {});
  await app.see('Gala');
  await app.press(KEY.ctrl('d'));
  await app.see('Which gate is this?');
  await app.press(KEY.backspace);
  await app.type('2');
  await app.press(KEY.enter);
  await app.see('Gate 2');
  return app;
}

async function sold(labels: string) {
  const order = await sellSeats(fx.ctx, { event: String(fx.eventId), seats: seats(labels), tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
  return order;
}

describe('door mode', () => {
  it('admits a ticket once; a second scan is refused with the time and gate of the first', async () => {
    fx = await uiCore();
    const order = await sold('A-5,A-6');
    const code = order.tickets[0].code!;
    const app = await openDoor();
    expect(app.frame()).toContain('Waiting for a scan');
    expect(app.frame()).toMatch(/enter check in\s+ctrl\+g gate\s+esc events/);
    // A scanner: the whole code and its Enter in one burst.
    app.stdin.write(`${code}\r`);
    let f = await app.see('A D M I T T E D');
    expect(f).toContain(`A-5 · Adult · order ${order.code}`);
    expect(f).toMatch(/Admitted 1 — gate 2: 1/);
    fx.clock.advance(7);
    app.stdin.write(`${code}\r`);
    f = await app.see('A L R E A D Y   U S E D');
    expect(f).toContain('already used at 12:00 gate 2');
    expect(f).toContain('This terminal: 1 admitted · 1 refused');
    const checkins = await fx.handle.db.selectFrom('checkins').selectAll().execute();
    expect(checkins).toHaveLength(1);
    app.unmount();
  });

  it('tells void, unknown and other-event tickets apart', async () => {
    fx = await uiCore();
    const refunded = await sold('B-1');
    await refundOrder(fx.ctx, { code: refunded.code });
    const other = await addEvent(fx.ctx, { name: 'Matinee', venue: 'Main Hall', starts: '2027-03-02T15:00' });
    await setPrice(fx.ctx, String(other.id), { tier: 'Adult', price: '10' });
    await publishEvent(fx.ctx, String(other.id));
    const elsewhere = await sellSeats(fx.ctx, { event: String(other.id), seats: [{ row: 'C', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    const app = await openDoor();
    await app.type(refunded.tickets[0].code!);
    await app.press(KEY.enter);
    await app.see('V O I D');
    await app.type('NOTAREALTICKET');
    await app.press(KEY.enter);
    let f = await app.see('U N K N O W N');
    expect(f).toContain('unknown ticket "NOTAREALTICKET"');
    app.stdin.write(`${elsewhere.tickets[0].code}\r`);
    f = await app.see('O T H E R   E V E N T');
    expect(f).toContain('is for Matinee, not Gala');
    expect(f).toContain('This terminal: 0 admitted · 3 refused');
    app.unmount();
  });

  it('a refunded ticket of a cancelled event is VOID, and a same-named event is told apart by its date', async () => {
    fx = await uiCore();
    const fado = async (starts: string) => {
      const e = await addEvent(fx.ctx, { name: 'Fado Night', venue: 'Main Hall', starts });
      await setPrice(fx.ctx, String(e.id), { tier: 'Adult', price: '10' });
      await publishEvent(fx.ctx, String(e.id));
      return String(e.id);
    };
    const cancelled = await fado('2027-02-20T21:00');
    const refunded = await sellSeats(fx.ctx, { event: cancelled, seats: [{ row: 'D', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await cancelEvent(fx.ctx, cancelled, { refund: true, reason: 'illness' });
    const earlier = await fado('2027-02-27T21:00');
    const elsewhere = await sellSeats(fx.ctx, { event: earlier, seats: [{ row: 'D', number: 2 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    const tonight = await fado('2027-03-06T21:00');
    const app = renderApp(fx);
    await app.see('Fado Night');
    // The picker lists events soonest first: Fado Night on 27 Feb, Gala, then Fado Night on 6 Mar.
    await app.type('Fado');
    await app.press(KEY.down, KEY.ctrl('d'));
    await app.see('Which gate is this?');
    await app.press(KEY.enter);
    let f = await app.see('Gate 1');
    expect(f).toContain('Sat, 6 Mar 2027');
    app.stdin.write(`${refunded.tickets[0].code}\r`);
    f = await app.see('V O I D');
    expect(f).not.toContain('O T H E R');
    app.stdin.write(`${elsewhere.tickets[0].code}\r`);
    f = await app.see('O T H E R   E V E N T');
    expect(f).toContain('is for Fado Night (Sat, 27 Feb 2027, 21:00), not Fado Night (Sat, 6 Mar 2027, 21:00)');
    expect(tonight).not.toBe(earlier);
    app.unmount();
  });

  it('the suggested gate is replaced by what is typed, and a ticket scanned at the gate question is checked in at that gate', async () => {
    fx = await uiCore();
    const order = await sold('A-7,A-8');
    let app = renderApp(fx);
    await app.see('Gala');
    await app.press(KEY.ctrl('d'));
    await app.see('Which gate is this?');
    await app.type('East');
    await app.press(KEY.enter);
    await app.see('Gate East');
    app.unmount();

    app = renderApp(fx);
    await app.see('Gala');
    await app.press(KEY.ctrl('d'));
    await app.see('Which gate is this?');
    // A scanner, before anyone answered: the code and its Enter in one burst.
    app.stdin.write(`${order.tickets[0].code}\r`);
    const f = await app.see('A D M I T T E D');
    expect(f).toContain('Gate 1');
    const checkins = await fx.handle.db.selectFrom('checkins').select('gate').execute();
    expect(checkins).toEqual([{ gate: '1' }]);
    app.unmount();
  });

  it('counts admissions per gate, including another door terminal', async () => {
    fx = await uiCore();
    const order = await sold('A-1,A-2,A-3');
    const app = await openDoor();
    app.stdin.write(`${order.tickets[0].code}\r`);
    await app.see('gate 2: 1');
    await checkIn(fx.ctx, { code: order.tickets[1].code!, event: String(fx.eventId), gate: '1' });
    await checkIn(fx.ctx, { code: order.tickets[2].code!, event: String(fx.eventId), gate: '1' });
    await app.see(/Admitted 3 — gate 1: 2 · gate 2: 1/);
    await app.press(KEY.ctrl('g'));
    await app.see('Which gate is this?');
    await app.press(KEY.backspace);
    await app.type('North');
    await app.press(KEY.enter);
    await app.see('Gate North');
    app.unmount();
  });

  it('a door operator admits tickets in door mode (the personal-data rules leave the door its verdicts)', async () => {
    fx = await uiCore();
    const order = await sold('A-2');
    const app = await openDoor({ staffId: null, name: 'Dora', role: 'door' });
    app.stdin.write(`${order.tickets[0].code}\r`);
    const f = await app.see('A D M I T T E D');
    expect(f).toContain(`A-2 · Adult · order ${order.code}`);
    app.unmount();
  });

  it('a clerk may not check in: the core refusal is the verdict', async () => {
    fx = await uiCore();
    const order = await sold('A-1');
    const app = await openDoor({ staffId: null, name: 'Carl', role: 'clerk' });
    app.stdin.write(`${order.tickets[0].code}\r`);
    const f = await app.see('R E F U S E D');
    expect(f).toContain('Carl (clerk) may not check tickets in');
    app.unmount();
  });
});
