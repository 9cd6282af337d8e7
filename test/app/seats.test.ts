// The seat map as the application reads it for both fronts: in one snapshot, with its version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatList, seatMap, seatMapVersion, seatRows, seatsOf, seatTotals } from '../../src/app/seats.js';
import { blockSeats } from '../../src/core/inventory/blocks.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';

let core: CoreFixture;
let eventId: number;
beforeAll(async () => {
  core = await openCore();
  eventId = Number((await seedGala(core.ctx)).eventId);
});
afterAll(() => core.close());

describe('the seat map', () => {
  it('holds the sections, the tiers and the version it was read at; the version moves with a change', async () => {
    const map = await seatMap(core.ctx, eventId);
    expect(map.sections.map((s) => s.name)).toEqual(['Stalls', 'Floor']);
    expect(map.tiers.map((t) => t.name).sort()).toEqual(['Adult', 'Child']);
    expect(map.version).toBe(await seatMapVersion(core.ctx, eventId));
    await blockSeats(core.ctx, { event: String(eventId), seats: [{ row: 'C', number: 1 }] });
    expect(await seatMapVersion(core.ctx, eventId)).not.toBe(map.version);
    expect((await seatMap(core.ctx, eventId)).sections[0]).toMatchObject({ name: 'Stalls', blocked: 1 });
  });
});

describe("an event's seats", () => {
  it('finds the event and a section by name, and refuses one the venue lacks', async () => {
    const of = await seatsOf(core.ctx, 'Gala', 'stalls');
    expect(of.event.name).toBe('Gala');
    expect(of.sectionId).toBeTypeOf('number');
    expect(of.now).toBe('2027-01-10T12:00:00.000Z');
    await expect(seatsOf(core.ctx, 'Gala', 'Balcony')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reads the same seats as a list, as rows to draw, and as counts', async () => {
    const of = await seatsOf(core.ctx, 'Gala');
    const list = await seatList(core.ctx, of);
    const rows = await seatRows(core.ctx, of);
    const totals = await seatTotals(core.ctx, of, async (_snapshot, sections) => sections);
    expect(rows.map((s) => s.name)).toEqual(list.map((s) => s.name));
    expect(totals.map((s) => s.available)).toEqual(list.map((s) => s.available));
    const stalls = rows[0];
    expect(stalls.kind === 'reserved' && stalls.rows).toHaveLength(10);
  });
});
