// `seats` reads an 80,000-seat stadium without a JavaScript object per seat (SQLite writes the
// JSON; the map gets one status string per row). These tests hold that fast path to the output
// the plain path gives — every seat's object, stringified or drawn — on a venue made to trip it:
// seats stored out of order, labels that need escaping, several labels under one rank, a label
// under several ranks, zones, flags and coordinates of every kind, and every status.
import { spawnSync } from 'node:child_process';
import { foldKey } from '../src/db/fold.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, seedGala, type CoreFixture, sqliteOf } from './helpers/core.js';
import { BIN } from './helpers/cli.js';
import { bufferIO } from '../src/cli/runtime/io.js';
import { runCli } from '../src/cli/program.js';
import { paint, type IO } from '../src/cli/runtime/io.js';
import { SEAT_SYMBOLS } from '../src/cli/cmd/seats/seat-map.js';
import { eventAvailability, gaUsage, loadSeatStates, reservedSectionCount, sectionRowStrips, type SectionAvailability } from '../src/core/inventory/availability.js';
import { seatLabel } from '../src/core/inventory/seat-refs.js';
import { findEvent } from '../src/core/events/events.js';
import { holdSeats, sellSeats } from '../src/core/orders/sale.js';
import { blockSeats } from '../src/core/inventory/blocks.js';
import { seats as seatRefs } from './helpers/requests.js';

let core: CoreFixture;
let event: string;
const BOX = 'Box "Royal"';
// Ten minutes after the fixture's clock: the 5-minute hold has lapsed, the 60-minute one has not.
const LATER = '2027-01-10T12:10:00.000Z';

/** Rows of the hand-made section: [rank, label, numbers in the order they are stored]. */
const BOX_ROWS: [number, string, number[]][] = [
  [4, 'Z', [10, 3, 7]],
  [1, 'R\\1', [2, 1, 3]],
  [3, '🎭', [1, 2]],
  [2, 'Ö"2', [5, 4]],
  [5, 'X', [2, 4]],
  [5, 'Y', [3, 1]],
  [6, 'X', [9, 8]],
  [7, 'tab\there', [1]],
];

beforeAll(async () => {
  core = await openCore();
  event = (await seedGala(core.ctx)).eventId;
  const db = sqliteOf(core);
  const venueId = (db.prepare("select id from venues where name = 'Main Hall'").get() as { id: number }).id;
  const position = (db.prepare('select max(position) p from sections where venue_id = ?').get(venueId) as { p: number }).p + 1;
  const box = Number(
    db.prepare("insert into sections (venue_id, name, name_key, kind, zone, position) values (?, ?, ?, 'reserved', 'Premium', ?)").run(venueId, BOX, foldKey(BOX), position).lastInsertRowid,
  );
  const insert = db.prepare('insert into seats (section_id, row_label, row_label_key, row_rank, number, zone, accessible, obstructed, x, y) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // Stored in neither rank nor number order.
  const coords: (number | null)[] = [null, 3, 0.1 + 0.2, 1 / 3, 12.5, -0, 1e21, 2 ** 53, 1e-7];
  let k = 0;
  for (const [rank, label, numbers] of BOX_ROWS) {
    for (const n of numbers) {
      k++;
      insert.run(box, label, foldKey(label), rank, n, k % 3 === 0 ? 'Aisle' : null, k % 4 === 0 ? 1 : 0, k % 5 === 0 ? 1 : 0, coords[k % coords.length], coords[(k * 7) % coords.length]);
    }
  }
  // Some Stalls seats with a place, zone or flag of their own, the rest plain.
  db.prepare("update seats set x = number * 1.5, y = 2 where row_label = 'D' and section_id = (select id from sections where name = 'Stalls')").run();
  db.prepare("update seats set zone = 'Side', accessible = 1 where row_label = 'E' and number > 15").run();
  db.prepare("update seats set obstructed = 1 where row_label = 'F' and number = 1").run();

  const cash = { method: 'cash' as const };
  await sellSeats(core.ctx, {
    event,
    seats: [
      { section: 'Stalls', row: 'A', number: 1 },
      { section: 'Stalls', row: 'A', number: 2 },
    ],
    tier: [{ name: 'Adult' }],
    payment: cash,
  });
  await sellSeats(core.ctx, { event, seats: seatRefs(`${BOX}:Z-7`), tier: [{ name: 'Adult' }], payment: cash });
  await sellSeats(core.ctx, { event, quantity: 3, section: 'Floor', tier: [{ name: 'Adult' }], payment: cash });
  await holdSeats(core.ctx, { event, seats: [{ section: 'Stalls', row: 'B', number: 1 }], tier: [{ name: 'Adult' }], minutes: 60 });
  await holdSeats(core.ctx, { event, seats: seatRefs(`Stalls:B-2,${BOX}:X-8`), tier: [{ name: 'Adult' }], minutes: 5 });
  await holdSeats(core.ctx, { event, seats: seatRefs(`${BOX}:Y-1`), tier: [{ name: 'Adult' }], minutes: 60 });
  await holdSeats(core.ctx, { event, quantity: 2, section: 'Floor', tier: [{ name: 'Adult' }], minutes: 60 });
  await blockSeats(core.ctx, { event, seats: seatRefs(`Stalls:C-3,${BOX}:Ö"2-4`), reason: 'camera' });
});
afterAll(async () => core?.close());

/** What `seats` printed before the fast path: the sections with every seat's object (the code as it was). */
async function plainAvailability(sectionId?: number): Promise<SectionAvailability[]> {
  const { event: e, venue } = await findEvent(core.ctx.db, event);
  let sq = core.ctx.db.selectFrom('sections').selectAll().where('venue_id', '=', venue.id).orderBy('position');
  if (sectionId !== undefined) sq = sq.where('id', '=', sectionId);
  const sections = await sq.execute();
  const qualify = (await reservedSectionCount(core.ctx.db, e.id)) > 1;
  const seats = await loadSeatStates(core.ctx.db, e, LATER, sectionId);
  const usage = await gaUsage(core.ctx.db, e.id, LATER);
  return sections.map((sec): SectionAvailability => {
    if (sec.kind === 'ga') {
      const u = usage.get(sec.id) ?? { held: 0, sold: 0 };
      const capacity = sec.capacity ?? 0;
      return { id: sec.id, name: sec.name, kind: 'ga', zone: sec.zone, capacity, available: Math.max(0, capacity - u.held - u.sold), held: u.held, sold: u.sold };
    }
    const list = seats.filter((s) => s.sectionId === sec.id);
    const counts = { available: 0, held: 0, sold: 0, blocked: 0 };
    for (const s of list) counts[s.status]++;
    return {
      id: sec.id,
      name: sec.name,
      kind: 'reserved',
      capacity: list.length,
      ...counts,
      seats: list.map((s) => ({ seat: seatLabel(s, qualify), row: s.row, number: s.number, zone: s.zone, status: s.status, accessible: s.accessible, obstructed: s.obstructed, x: s.x, y: s.y })),
    };
  });
}

/** The seat map as it was drawn from every seat's object. */
function plainMap(io: IO, sections: SectionAvailability[]): string {
  const out: string[] = [];
  for (const s of sections) {
    const parts = [`${s.available} free`, `${s.held} held`, `${s.sold} sold`];
    if (s.kind === 'reserved' && s.blocked) parts.push(`${s.blocked} blocked`);
    out.push(`${paint(io, 'bold', s.name)}  ${paint(io, 'dim', s.kind === 'ga' ? 'general admission' : 'reserved')}  ${s.capacity} ${s.kind === 'ga' ? 'places' : 'seats'}: ${parts.join(', ')}`);
    if (s.kind === 'reserved') {
      const rows = new Map<string, typeof s.seats>();
      for (const seat of s.seats) rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
      const labelWidth = Math.max(3, ...[...rows.keys()].map((r) => r.length)) + 1;
      const digits = String(Math.max(...s.seats.map((x) => x.number))).length;
      const perBand = Math.max(5, Math.floor((io.columns - labelWidth - 3 - (2 * digits + 1)) / 2));
      const widest = Math.max(...[...rows.values()].map((r) => r.length));
      const side = Math.max(2, Math.floor((Math.min(widest, perBand) * 2 - 1 - 7) / 2));
      out.push(paint(io, 'dim', `${' '.repeat(labelWidth)}${'─'.repeat(side)} STAGE ${'─'.repeat(side)}`));
      for (let start = 0; start < widest; start += perBand) {
        if (widest > perBand) out.push(paint(io, 'dim', `  seats ${start + 1}–${Math.min(widest, start + perBand)} of each row`));
        for (const [row, seats] of rows) {
          const band = seats.slice(start, start + perBand);
          if (band.length === 0) continue;
          const cells = band.map((x) => paint(io, SEAT_SYMBOLS[x.status].style, SEAT_SYMBOLS[x.status].symbol));
          // A row label is shown on one line: its tab as a space (other controls as escapes).
          out.push(`${row.replace(/\t/g, ' ').padStart(labelWidth - 1)} ${cells.join(' ')}  ${paint(io, 'dim', `${band[0].number}–${band[band.length - 1].number}`)}`);
        }
      }
    }
    out.push('');
  }
  out.push(
    `Legend: ${Object.values(SEAT_SYMBOLS)
      .map((l) => `${paint(io, l.style, l.symbol)} ${l.label}`)
      .join('   ')}`,
  );
  return `${out.join('\n')}\n`;
}

async function seats(args: string[], options: { tty?: boolean; color?: boolean; columns?: number } = {}) {
  const io = bufferIO({ tty: options.tty, columns: options.columns, env: { BOXOFFICE_DB: core.handle.file, HOME: path.dirname(core.handle.file), BOXOFFICE_NOW: LATER } });
  if (options.color) io.color = true;
  const code = await runCli(['seats', event, ...args], io);
  expect(code, io.err()).toBe(0);
  return { io, out: io.out() };
}

const boxId = () => (sqliteOf(core).prepare('select id from sections where name = ?').get(BOX) as { id: number }).id;

describe('seats --json on the fast path', () => {
  it('prints byte for byte what stringifying every seat printed, piped and at a terminal', async () => {
    const plain = await plainAvailability();
    // The fixture has every status, both kinds of template and each kind of coordinate in it.
    const all = plain.flatMap((s) => (s.kind === 'reserved' ? s.seats : []));
    expect(new Set(all.map((s) => s.status))).toEqual(new Set(['available', 'held', 'sold', 'blocked']));
    expect(all.some((s) => s.x !== null && !Number.isInteger(s.x))).toBe(true);
    expect(plain.find((s) => s.kind === 'ga')).toMatchObject({ held: 2, sold: 3 });
    expect((await seats(['--json'])).out).toBe(`${JSON.stringify(plain)}\n`);
    expect((await seats(['--json'], { tty: true })).out).toBe(`${JSON.stringify(plain, null, 2)}\n`);
  });

  it('does the same for one section, and the built command prints it too', async () => {
    const plain = await plainAvailability(boxId());
    expect((await seats(['--json', '--section', BOX])).out).toBe(`${JSON.stringify(plain)}\n`);
    expect((await seats(['--json', '--section', BOX], { tty: true })).out).toBe(`${JSON.stringify(plain, null, 2)}\n`);
    const r = spawnSync(process.execPath, [BIN, 'seats', event, '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: path.dirname(core.handle.file), BOXOFFICE_DB: core.handle.file, BOXOFFICE_NOW: LATER },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(await plainAvailability())}\n`);
  });

  it('eventAvailability (the TUI and the piped rows read it) gives the same objects', async () => {
    const { event: e, venue } = await findEvent(core.ctx.db, event);
    expect(await eventAvailability(core.ctx, e, venue, LATER)).toEqual(await plainAvailability());
    expect(JSON.stringify(await eventAvailability(core.ctx, e, venue, LATER, boxId()))).toBe(JSON.stringify(await plainAvailability(boxId())));
  });
});

describe('the drawn seat map on the fast path', () => {
  it('draws what it drew from every seat, a row per label, in colour and narrow', async () => {
    const plain = await plainAvailability();
    for (const options of [
      { color: true, columns: 100 },
      { color: false, columns: 40 },
    ]) {
      const { io, out } = await seats([], { tty: true, ...options });
      expect(out.endsWith(plainMap(io, plain)), out).toBe(true);
    }
  });

  it('joins the groups of one label and sorts several labels under one rank', async () => {
    const { event: e } = await findEvent(core.ctx.db, event);
    const strips = await sectionRowStrips(core.ctx, e.id, boxId(), LATER);
    expect(strips.map((s) => [s.row, s.numbers])).toEqual([
      ['R\\1', [1, 2, 3]],
      ['Ö"2', [4, 5]],
      ['🎭', [1, 2]],
      ['Z', [3, 7, 10]],
      // Rank 5 holds Y-1, X-2, Y-3, X-4: Y comes first; X goes on in rank 6.
      ['Y', [1, 3]],
      ['X', [2, 4, 8, 9]],
      ['tab\there', [1]],
    ]);
    expect(strips.find((s) => s.row === 'Z')?.statuses).toEqual(['available', 'sold', 'available']);
    expect(strips.find((s) => s.row === 'Ö"2')?.statuses).toEqual(['blocked', 'available']);
  });
});
