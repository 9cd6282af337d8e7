import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { sellSeats } from '../../src/core/orders/sale.js';
import { holdSeats } from '../../src/core/orders/sale.js';
import { addEvent, publishEvent } from '../../src/core/events/events.js';
import { setPrice } from '../../src/core/events/tiers.js';
import { EventPicker } from '../../src/ui/screens/event-picker.js';
import { barParts } from '../../src/ui/components/availability-bar.js';
import { FixedSizeProvider } from '../../src/ui/hooks/use-terminal-size.js';
import { KEY, SIZE, uiCore, withHelpers, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

function picker(onOpen = (_e: unknown, _m: string) => {}, services = fx.services(), onLogout?: () => void) {
  return withHelpers(
    render(
      <FixedSizeProvider size={SIZE}>
        <EventPicker services={services} onOpen={onOpen as never} onLogout={onLogout} refreshMs={100} />
      </FixedSizeProvider>,
    ),
  );
}

describe('event picker', () => {
  it('lists events on sale with sold, held and free counts, and follows sales made elsewhere', async () => {
    fx = await uiCore();
    await sellSeats(fx.ctx, {
      event: String(fx.eventId),
      seats: [
        { row: 'A', number: 1 },
        { row: 'A', number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: { method: 'cash' },
    });
    await holdSeats(fx.ctx, { event: String(fx.eventId), seats: [{ row: 'B', number: 1 }], tier: [{ name: 'Adult' }] });
    const app = picker();
    const frame = await app.see('Gala');
    expect(frame).toMatch(/Gala\s+Main Hall\s+Mon, 1 Mar 2027, 20:00\s+sold\s+2\s+held\s+1\s+free\s+247/);
    expect(frame).toContain('█'); // sold part of the bar
    expect(frame).toContain('single-user (admin)');
    expect(frame).toContain('enter sell');
    await sellSeats(fx.ctx, { event: String(fx.eventId), quantity: 3, tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await app.see(/sold\s+5\s+held\s+1\s+free\s+244/);
    app.unmount();
  });

  it('filters as you type, opens the highlighted event to sell, ctrl+d for door mode', async () => {
    fx = await uiCore();
    const opened: string[] = [];
    const other = await addEvent(fx.ctx, { name: 'Matinee', venue: 'Main Hall', starts: '2027-03-02T15:00' });
    await setPrice(fx.ctx, String(other.id), { tier: 'Adult', price: '10' });
    await publishEvent(fx.ctx, String(other.id));
    await addEvent(fx.ctx, { name: 'Draft show', venue: 'Main Hall', starts: '2027-03-03T15:00' });
    const app = picker((e: any, mode) => opened.push(`${e.name}:${mode}`));
    await app.see('Matinee');
    expect(app.frame()).not.toContain('Draft show');
    await app.press(KEY.down, KEY.enter);
    expect(opened).toEqual(['Matinee:sell']);
    await app.type('gal');
    const f = await app.see('1 of 2');
    expect(f).toContain('Gala');
    expect(f).not.toContain('Matinee');
    await app.press(KEY.ctrl('d'));
    expect(opened).toEqual(['Matinee:sell', 'Gala:door']);
    await app.type('zzz');
    await app.see('No event matches "galzzz"');
    await app.press(KEY.escape);
    await app.see('Matinee');
    app.unmount();
  });

  it('says what to do when nothing is on sale, and marks log out unavailable without a login', async () => {
    fx = await uiCore();
    await fx.handle.db.updateTable('events').set({ status: 'completed' }).execute();
    const app = picker();
    const f = await app.see('No events on sale');
    expect(f).toContain('boxoffice event add');
    expect(f).toContain('log out (n/a)');
    app.unmount();
  });

  it('door staff open door mode with Enter', async () => {
    fx = await uiCore();
    const opened: string[] = [];
    const app = picker((_e: any, mode) => opened.push(mode), fx.services({ staffId: 9, name: 'Dora', role: 'door' }));
    await app.see('Gala');
    expect(app.frame()).toContain('Dora (door)');
    expect(app.frame()).toContain('enter opens door mode');
    await app.press(KEY.enter);
    expect(opened).toEqual(['door']);
    app.unmount();
  });

  it('draws a bar whose parts add up to its width', () => {
    expect(barParts({ capacity: 100, available: 50, held: 10, sold: 40, blocked: 0 }, 20)).toEqual({ sold: 8, held: 2, free: 10 });
    expect(barParts({ capacity: 20000, available: 19999, held: 0, sold: 1, blocked: 0 }, 20).sold).toBe(1);
  });
});
