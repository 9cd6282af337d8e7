// `boxoffice event …` run in-process: each subcommand's run function with a buffered IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runEventAdd, runEventCancel, runEventList, runEventPrice, runEventPublish, runEventShow } from '../../src/cli/cmd/event/event.js';
import { addVenue, generateReservedBlock } from '../../src/core/venues/venues.js';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;
beforeAll(async () => {
  core = await openCore();
  await addVenue(core.ctx, { name: 'Main Hall', city: 'Lisbon', timezone: 'Europe/Lisbon' });
  await generateReservedBlock(core.ctx, 'Main Hall', { section: 'Stalls', rows: 'A-B', seats: '1-3' });
});
afterAll(() => core.close());

describe('event', () => {
  it('adds a draft event and says how to price and publish it', async () => {
    const io = bufferIO();
    await runEventAdd(io, sessionOf(core), 'Gala', { venue: 'Main Hall', starts: '2027-03-01T20:00', currency: 'EUR' });
    expect(io.out()).toContain('event        Gala\n');
    expect(io.err()).toBe('Next: boxoffice event price 1 --tier Adult --price 25.00, then boxoffice event publish 1\n');
  });

  it('refuses a start it cannot read, naming the flag', async () => {
    await expect(runEventAdd(bufferIO(), sessionOf(core), 'Bad', { venue: 'Main Hall', starts: 'soon', currency: 'EUR' })).rejects.toMatchObject({
      reason: 'value_invalid',
      facts: { field: 'starts' },
    });
  });

  it('refuses to publish without prices, then prices and publishes', async () => {
    await expect(runEventPublish(bufferIO(), sessionOf(core), 'Gala')).rejects.toMatchObject({ reason: 'event_has_no_prices', facts: { eventId: 1 } });
    const io = bufferIO();
    await runEventPrice(io, sessionOf(core), 'Gala', { tier: 'Adult', price: '25.00' });
    await runEventPublish(io, sessionOf(core, { json: true }), 'Gala');
    expect(io.out()).toContain('"status":"on_sale"');
  });

  it('lists and shows events', async () => {
    const list = bufferIO();
    await runEventList(list, sessionOf(core, { json: true }), { status: 'on_sale' });
    expect(JSON.parse(list.out())).toMatchObject([{ id: 1, name: 'Gala' }]);
    await expect(runEventList(bufferIO(), sessionOf(core), { status: 'sometimes' })).rejects.toThrow('unknown status "sometimes"');
    const show = bufferIO();
    await runEventShow(show, sessionOf(core, { json: true }), '1');
    expect(JSON.parse(show.out()).tiers).toMatchObject([{ name: 'Adult' }]);
  });

  it('cancels an event (a dry run first)', async () => {
    const dry = bufferIO();
    await runEventCancel(dry, sessionOf(core, { json: true }), 'Gala', { dryRun: true });
    expect(JSON.parse(dry.out())).toMatchObject({ dryRun: true });
    const io = bufferIO();
    await runEventCancel(io, sessionOf(core), 'Gala', { yes: true, reason: 'storm' });
    expect(io.err()).toContain('Cancelled Gala');
  });
});
