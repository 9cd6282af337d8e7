// `boxoffice venue …` run in-process: each subcommand's run function with a buffered IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runVenueAdd, runVenueList, runVenueSeatmapGenerate, runVenueShow } from '../../src/cli/cmd/venue/venue.js';
import { openCore, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;
beforeAll(async () => {
  core = await openCore();
});
afterAll(() => core.close());

describe('venue', () => {
  it('adds a venue and says what to do next', async () => {
    const io = bufferIO();
    await runVenueAdd(io, sessionOf(core), 'Main Hall', { city: 'Lisbon', timezone: 'Europe/Lisbon' });
    expect(io.out()).toBe('venue     Main Hall\nid        1\ncity      Lisbon\ntimezone  Europe/Lisbon\n');
    expect(io.err()).toBe('Next: boxoffice venue seatmap generate 1 --section Stalls --rows A-J --seats 1-20\n');
  });

  it('generates reserved seats and a general-admission section, refusing both at once', async () => {
    const io = bufferIO();
    await runVenueSeatmapGenerate(io, sessionOf(core), 'Main Hall', { section: 'Stalls', rows: 'A-B', seats: '1-3' });
    await runVenueSeatmapGenerate(io, sessionOf(core), '1', { section: 'Floor', capacity: '50' });
    expect(io.err()).toBe('Main Hall: added 6 seats to Stalls\nMain Hall: Floor is general admission for 50\n');
    await expect(runVenueSeatmapGenerate(bufferIO(), sessionOf(core), '1', { section: 'Floor', capacity: '5', rows: 'A' })).rejects.toThrow('give either --capacity');
  });

  it('lists venues as TSV when piped and as JSON with --json', async () => {
    const io = bufferIO();
    await runVenueList(io, sessionOf(core));
    expect(io.out()).toBe('id\tname\tcity\ttimezone\n1\tMain Hall\tLisbon\tEurope/Lisbon\n');
    const json = bufferIO();
    await runVenueList(json, sessionOf(core, { json: true }));
    expect(JSON.parse(json.out())).toMatchObject([{ id: 1, name: 'Main Hall', city: 'Lisbon', timezone: 'Europe/Lisbon' }]);
  });

  it('shows a venue with its sections', async () => {
    const io = bufferIO();
    await runVenueShow(io, sessionOf(core, { json: true }), 'Main Hall');
    const shown = JSON.parse(io.out());
    expect(shown).toMatchObject({ id: 1, name: 'Main Hall' });
    expect(shown.sections.map((s: { name: string; capacity: number }) => [s.name, s.capacity])).toEqual([
      ['Stalls', 6],
      ['Floor', 50],
    ]);
  });
});
