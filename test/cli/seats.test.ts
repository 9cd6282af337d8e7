// `boxoffice seats …` run in-process: each subcommand's run function with a buffered IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runSeats, runSeatsBlock, runSeatsRelease } from '../../src/cli/cmd/seats/seats.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;

beforeAll(async () => {
  core = await openCore();
  await seedGala(core.ctx);
});
afterAll(() => core.close());

describe('seats', () => {
  it('lists every seat as rows when piped', async () => {
    const io = bufferIO();
    await runSeats(io, sessionOf(core), 'Gala', {});
    const lines = io.out().trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['section', 'kind', 'seat', 'row', 'number', 'zone', 'status', 'capacity', 'available']);
    // Stalls' 200 seats, the Floor as one line.
    expect(lines).toHaveLength(1 + 200 + 1);
  });

  it('draws a map on a terminal, one section with --section', async () => {
    const io = bufferIO({ tty: true });
    await runSeats(io, sessionOf(core), 'Gala', { section: 'Stalls' });
    expect(io.out()).toContain('Gala');
    expect(io.out()).toContain('Stalls');
    expect(io.out()).not.toContain('Floor');
  });

  it('answers JSON with --json', async () => {
    const io = bufferIO();
    await runSeats(io, sessionOf(core, { json: true }), 'Gala', {});
    const sections = JSON.parse(io.out());
    expect(sections.map((s: { name: string }) => s.name)).toEqual(['Stalls', 'Floor']);
    expect(sections[0].seats).toHaveLength(200);
  });

  it('refuses a section the venue does not have', async () => {
    await expect(runSeats(bufferIO(), sessionOf(core), 'Gala', { section: 'Balcony' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('seats block and release', () => {
  it('blocks seats and releases them', async () => {
    const blocked = bufferIO();
    await runSeatsBlock(blocked, sessionOf(core), 'Gala', { seats: 'A-1,A-2', reason: 'house seats' });
    expect(blocked.err()).toBe('Blocked Stalls:A-1, Stalls:A-2\n');
    const json = bufferIO();
    await runSeats(json, sessionOf(core, { json: true }), 'Gala', { section: 'Stalls' });
    expect(JSON.parse(json.out())[0].blocked).toBe(2);
    const released = bufferIO();
    await runSeatsRelease(released, sessionOf(core, { json: true }), 'Gala', { seats: 'A-1,A-2' });
    expect(JSON.parse(released.out())).toMatchObject({ released: ['Stalls:A-1', 'Stalls:A-2'] });
  });
});
