// The seat map: moving, picking, best N, sections, GA steppers, live refresh from another
// process, a seat taken between pick and hold, and a 20,000-seat section.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { holdSeats, sellSeats } from '../../src/core/orders/sale.js';
import { blockSeats } from '../../src/core/inventory/blocks.js';
import { addVenue, generateReservedBlock } from '../../src/core/venues/venues.js';
import { addEvent, publishEvent } from '../../src/core/events/events.js';
import { setPrice } from '../../src/core/events/tiers.js';
import { showOrder } from '../../src/core/orders/view.js';
import { BIN } from '../helpers/cli.js';
import { legendEntries, legendRows } from '../../src/ui/components/key-legend.js';
import { legendLines } from '../../src/ui/components/screen.js';
import { KEY, mapRow, renderApp, seatSymbol, tick, uiCore, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

async function openMap(options: Parameters<typeof renderApp>[1] = {}, event = 'Gala') {
  const app = renderApp(fx, options);
  await app.see(event);
  if (event !== 'Gala') await app.type(event);
  await app.press(KEY.enter);
  await app.see('STAGE');
  return app;
}

async function pendingOrders() {
  return fx.handle.db.selectFrom('orders').select(['code', 'status', 'total']).where('status', '=', 'pending').execute();
}

describe('seat map', () => {
  it('draws each status with its own symbol, and moves with arrows and hjkl', async () => {
    fx = await uiCore();
    await sellSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'A', number: 1 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await holdSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'A', number: 2 }], tier: [{ name: 'Adult' }] });
    await blockSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'A', number: 3 }], reason: 'camera' });
    const app = await openMap();
    let f = app.frame();
    const rowA = mapRow(f, 'A');
    expect(seatSymbol(rowA, 1)).toBe('●');
    expect(seatSymbol(rowA, 2)).toBe('◐');
    expect(seatSymbol(rowA, 3)).toBe('✕');
    expect(seatSymbol(rowA, 4)).toBe('○');
    expect(f).toContain('○ free  ◆ selected  ◐ held  ● sold  ✕ blocked');
    expect(f).toContain('Seat A-11 · available · Adult €25.00 · Child €12.50');
    expect(f).toContain('[Stalls 197 free]');
    expect(f).toMatch(/↑\/k ↓\/j ←\/h →\/l move\s+space select\s+b best N/);
    await app.press(KEY.down, 'j', KEY.right, 'l', 'h', 'k');
    await app.see('Seat B-12 ·');
    await app.press(KEY.up, ...Array(12).fill(KEY.left));
    f = await app.see('Seat A-1 ·');
    expect(f).toContain('Seat A-1 · sold');
    await app.press(' ');
    await app.see('A-1 is sold');
    await app.press(KEY.right, ' ');
    await app.see('A-2 is held');
    app.unmount();
  });

  it('picks seats with space, holds them on Enter and goes to the cart', async () => {
    fx = await uiCore();
    const app = await openMap();
    await app.press(' ', KEY.right, ' ', KEY.right, ' ', ' ');
    let f = await app.see('Picked (2): A-11, A-12');
    expect(seatSymbol(mapRow(f, 'A'), 11)).toBe('◆');
    await app.press(KEY.enter);
    f = await app.see('held for this sale');
    expect(f).toContain('A-11');
    expect(f).toContain('A-12');
    expect(f).toMatch(/Total \(2 tickets\)\s+€50.00/);
    const pending = await pendingOrders();
    expect(pending).toHaveLength(1);
    expect(f).toContain(pending[0].code);
    app.unmount();
  });

  it('b asks for the best N together and holds them at once', async () => {
    fx = await uiCore();
    await sellSeats(fx.ctx, {
      event: String(fx.eventId),
      seats: [
        { row: 'A', number: 9 },
        { row: 'A', number: 10 },
        { row: 'A', number: 11 },
        { row: 'A', number: 12 },
      ],
      tier: [{ name: 'Adult' }],
      payment: { method: 'cash' },
    });
    const app = await openMap();
    await app.press('b');
    await app.see('Best how many seats together in Stalls?');
    await app.type('3');
    await app.press(KEY.enter);
    const f = await app.see('held for this sale');
    const order = await showOrder(fx.ctx, (await pendingOrders())[0].code);
    // The core's score: one row back weighs as much as two seats off centre, so B beats A-6..A-8.
    expect(order.tickets.map((t) => t.seat)).toEqual(['B-9', 'B-10', 'B-11']);
    for (const t of order.tickets) expect(f).toContain(t.seat!);
    app.unmount();
  });

  it('b with no block that big names the largest free block, the core message as it is', async () => {
    fx = await uiCore({ orderLimit: 50 });
    const app = await openMap();
    await app.press('b', '2', '5', KEY.enter);
    const f = await app.see('no 25 adjacent seats free: the largest free block is 20');
    // The core's hint names a command-line flag; the screen says what to do here instead.
    expect(f).toContain('pick seats one by one with space');
    expect(f).not.toMatch(/--seats|--best/);
    expect(await pendingOrders()).toHaveLength(0);
    app.unmount();
  });

  it('tab reaches the general-admission section: a quantity per tier, held on Enter', async () => {
    fx = await uiCore();
    const app = await openMap();
    await app.press(KEY.tab);
    let f = await app.see('general admission');
    expect(f).toContain('50 free of 50');
    expect(f).toContain('+/→ more');
    await app.press('+', '+', KEY.down, KEY.right, KEY.up, KEY.left);
    f = await app.see('Picked in Floor: Adult 1, Child 1');
    await app.press(KEY.shiftTab);
    await app.see('[Stalls');
    await app.press(KEY.tab);
    await app.see('Floor 50 free]');
    await app.press(KEY.enter);
    f = await app.see('held for this sale');
    expect(f).toContain('Floor (standing)');
    expect(f).toMatch(/Total \(2 tickets\)\s+€37.50/);
    app.unmount();
  });

  it('at 120 columns: STAGE is centred over the seats, the legend breaks between bindings only', async () => {
    fx = await uiCore();
    const app = await openMap({ size: { columns: 120, rows: 32 } });
    const f = app.frame();
    const lines = f.split('\n');
    const stage = lines.find((l) => l.includes('STAGE'))!;
    const rowA = mapRow(f, 'A').trimEnd();
    // Row label and 20 seats two columns each: the seats end at column 41, so the stage centres near 20.
    expect(rowA.length).toBe(41);
    const stageStart = stage.indexOf('─');
    const stageCentre = stageStart + stage.trim().length / 2;
    expect(Math.abs(stageCentre - rowA.length / 2)).toBeLessThanOrEqual(1);
    // Every binding of the legend is whole on one line: "esc events" is never "esc" / "events".
    for (const e of legendEntries('seatMap')) {
      expect(
        lines.some((l) => l.includes(`${e.keys} ${e.label}`)),
        `${e.keys} ${e.label} on one line:\n${f}`,
      ).toBe(true);
    }
    app.unmount();
  });

  it('the legend is laid out in whole bindings at any width', () => {
    for (const name of ['seatMap', 'gaSection', 'payment', 'receipt', 'events', 'door', 'cart', 'login'] as const) {
      const entries = legendEntries(name).map((e) => `${e.keys} ${e.label}`);
      for (let columns = 30; columns <= 160; columns++) {
        const rows = legendRows(name, columns).map((row) => row.map((e) => `${e.keys} ${e.label}`));
        expect(rows.flat()).toEqual(entries);
        for (const row of rows) if (row.length > 1) expect([...row.join('  ')].length, `${name} at ${columns}`).toBeLessThanOrEqual(columns);
        expect(legendLines(name, columns)).toBe(rows.length);
      }
    }
  });

  it('a general-admission section says what is picked once', async () => {
    fx = await uiCore();
    const app = await openMap();
    await app.press(KEY.tab);
    let f = await app.see('general admission');
    expect(f.match(/Picked/g)).toHaveLength(1);
    await app.press('+');
    f = await app.see('Picked in Floor: Adult 1');
    expect(f.match(/Picked/g)).toHaveLength(1);
    app.unmount();
  });

  it('shows a seat sold by another process as sold, without a keypress', async () => {
    fx = await uiCore();
    const app = await openMap({ pollMs: 1000 });
    expect(seatSymbol(mapRow(app.frame(), 'A'), 11)).toBe('○');
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'sell', String(fx.eventId), '--seats', 'A-11', '--tier', 'Adult', '--pay', 'cash'], {
        env: { PATH: process.env.PATH ?? '', HOME: fx.handle.file, BOXOFFICE_DB: fx.handle.file },
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(0);
    // No key is sent: only the screen's own refresh can show the sale.
    await app.see(/Seat A-11 · sold/, 15_000);
    expect(seatSymbol(mapRow(app.frame(), 'A'), 11)).toBe('●');
    expect(app.frame()).toContain('[Stalls 199 free]');
    app.unmount();
  });

  it('a picked seat sold elsewhere is dropped from the pick with a message', async () => {
    fx = await uiCore();
    const app = await openMap({ pollMs: 100 });
    await app.press(' ', KEY.right, ' ');
    await app.see('Picked (2): A-11, A-12');
    await sellSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'A', number: 12 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    const f = await app.see('Just taken at another till: A-12 (sold)');
    expect(f).toContain('Picked (1): A-11');
    app.unmount();
  });

  it('a seat taken between pick and hold: the core refuses, the map says which and the clerk chooses again', async () => {
    fx = await uiCore();
    // No refresh while the clerk decides: the hold itself must catch the race.
    const app = await openMap({ pollMs: 60_000 });
    await app.press(' ', KEY.right, ' ');
    await app.see('Picked (2): A-11, A-12');
    await sellSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'A', number: 12 }], tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await app.press(KEY.enter);
    let f = await app.see('not available: A-12 is sold');
    expect(f).toContain('pick others and press enter again');
    f = await app.see('Picked (1): A-11');
    expect(seatSymbol(mapRow(f, 'A'), 12)).toBe('●');
    expect(await pendingOrders()).toHaveLength(0);
    const sold = await fx.handle.db.selectFrom('tickets').select('id').where('status', '=', 'valid').execute();
    expect(sold).toHaveLength(1);
    await app.press(KEY.enter);
    f = await app.see('held for this sale');
    expect(f).toMatch(/Total \(1 ticket\)\s+€25.00/);
    app.unmount();
  });

  it('a 20,000-seat section draws only the window and stays responsive', async () => {
    fx = await uiCore();
    await addVenue(fx.ctx, { name: 'Arena', city: 'Porto', timezone: 'Europe/Lisbon' });
    await generateReservedBlock(fx.ctx, 'Arena', { section: 'Bowl', rows: '1-100', seats: '1-200' });
    const e = await addEvent(fx.ctx, { name: 'Concert', venue: 'Arena', starts: '2027-05-01T20:00' });
    await setPrice(fx.ctx, String(e.id), { tier: 'Adult', price: '30' });
    await publishEvent(fx.ctx, String(e.id));
    const app = await openMap({ pollMs: 200 }, 'Concert');
    let f = app.frame();
    expect(f).toContain('[Bowl 20000 free]');
    expect(f).toMatch(/rows 1–\d+ of 100 · columns \d+–\d+ of 200/);
    const seatsDrawn = (frame: string) => [...frame].filter((c) => c === '○' || c === '●').length - 2; // less the symbol key
    expect(seatsDrawn(f)).toBeLessThan(32 * 60);
    for (const key of [KEY.pageDown, KEY.pageDown, KEY.down, KEY.right, KEY.pageDown, KEY.right, KEY.down, KEY.pageDown]) {
      const before = app.frame();
      const deadline = Date.now() + 15_000;
      app.stdin.write(key);
      while (app.frame() === before) {
        if (Date.now() > deadline) throw new Error('no redraw');
        await tick(2);
      }
    }
    f = app.frame();
    // From 1-101 (mid front row): three pages and two rows down, two seats right.
    expect(f).toContain('Seat 87-103 ·');
    expect(f).toContain('rows 66–87 of 100');
    expect(f).toContain('↑ 65 more rows');
    expect(seatsDrawn(f)).toBeLessThan(32 * 60);
    // How quickly it redraws is measured by `npm run bench` (TUI keypress latency), not asserted here.
    app.unmount();
  });
});
