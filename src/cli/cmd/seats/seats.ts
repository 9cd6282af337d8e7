import type { Command } from 'commander';
import { eventView } from '../../../core/events/events.js';
import { reservedSectionCount, sectionSeatsJson, type SectionTotals } from '../../../core/inventory/availability.js';
import { seatList, seatRows, seatsOf, seatTotals } from '../../../app/seats.js';
import { blockSeats, releaseSeats } from '../../../core/inventory/blocks.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { parseSeatRefs } from '../../runtime/parse.js';
import type { CoreContext } from '../../../core/context.js';
import type { IO } from '../../runtime/io.js';
import { escapeJsonControls, jsonText, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { drawSeatMap } from './seat-map.js';
import { eventLine } from '../../runtime/render.js';

export interface SeatsOptions {
  section?: string;
}

/** `boxoffice seats <event>`: a drawn map on a terminal, rows when piped, --json for scripts. */
export async function runSeats(io: IO, session: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: SeatsOptions): Promise<void> {
  const { ctx, global } = session;
  const of = await seatsOf(ctx, ref, opts.section);
  // Counts and seats read in one snapshot (src/app/seats.ts): a sale elsewhere cannot land
  // between them (on PostgreSQL the snapshot is a transaction on one pooled connection).
  if (global.json) return seatTotals(ctx, of, (snapshot, sections) => printSeatsJson(io, snapshot, of.event.id, sections, of.now));
  if (io.isTTY) {
    const drawn = await seatRows(ctx, of);
    io.stdout.write(`${eventLine(eventView(of.event, of.venue))}\n\n`);
    io.stdout.write(drawSeatMap(io, drawn));
    return;
  }
  const sections = await seatList(ctx, of);
  type SeatRow = { section: string; kind: string; seat: string; row: string; number: string | number; zone: string; status: string; capacity: number; available: number };
  const rows = sections.flatMap((s): SeatRow[] =>
    s.kind === 'ga'
      ? [{ section: s.name, kind: s.kind, seat: '', row: '', number: '', zone: s.zone ?? '', status: '', capacity: s.capacity, available: s.available }]
      : s.seats.map((seat) => ({
          section: s.name,
          kind: s.kind,
          seat: seat.seat,
          row: seat.row,
          number: seat.number,
          zone: seat.zone ?? '',
          status: seat.status,
          capacity: 1,
          available: seat.status === 'available' ? 1 : 0,
        })),
  );
  printTable(io, rows, [
    { header: 'section', value: (r) => r.section },
    { header: 'kind', value: (r) => r.kind },
    { header: 'seat', value: (r) => r.seat },
    { header: 'row', value: (r) => r.row },
    { header: 'number', value: (r) => r.number },
    { header: 'zone', value: (r) => r.zone },
    { header: 'status', value: (r) => r.status },
    { header: 'capacity', value: (r) => r.capacity },
    { header: 'available', value: (r) => r.available },
  ]);
}

export interface BlockOptions {
  seats: string;
  reason?: string;
}

/** `boxoffice seats block`: seats never offered or sold until released. */
export async function runSeatsBlock(io: IO, session: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: BlockOptions): Promise<void> {
  const result = await blockSeats(session.ctx, { event: ref, seats: parseSeatRefs(opts.seats), reason: opts.reason });
  if (session.global.json) return printJson(io, result);
  say(io, `Blocked ${result.blocked.join(', ')}`);
}

/** `boxoffice seats release`: blocked seats back to sale. */
export async function runSeatsRelease(io: IO, session: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: { seats: string }): Promise<void> {
  const result = await releaseSeats(session.ctx, { event: ref, seats: parseSeatRefs(opts.seats) });
  if (session.global.json) return printJson(io, result);
  say(io, `Released ${result.released.join(', ')}`);
}

export function registerSeats(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const seats = program
    .command('seats')
    .description('seat availability for an event: a drawn map on a terminal, rows when piped, --json for scripts')
    .argument('<event>', 'event id or name')
    .option('--section <name>', 'only this section')
    .addHelpText(
      'after',
      examples(
        'boxoffice seats Hamlet',
        'boxoffice seats Hamlet --section Balcony',
        "boxoffice seats 3 --json | jq '.[0].available'",
        'boxoffice seats block Hamlet --seats A-1,A-2 --reason "house seats"',
      ),
    )
    .action(async (ref: string, opts: SeatsOptions, cmd: Command) => withCore(deps, cmd, (session) => runSeats(io, session, ref, opts)));

  seats
    .command('block <event>')
    .description('block seats (house seats, kills, broken seats): never offered or sold until released (manager)')
    .requiredOption('--seats <seats>', 'seats, e.g. A-1,A-2 or Stalls:A-1')
    .option('--reason <text>', 'why, e.g. "house seats"')
    .addHelpText('after', examples('boxoffice seats block Hamlet --seats A-1,A-2 --reason "house seats"'))
    .action(async (ref: string, opts: BlockOptions, cmd: Command) => withCore(deps, cmd, (session) => runSeatsBlock(io, session, ref, opts)));

  seats
    .command('release <event>')
    .description('release blocked seats back to sale (manager)')
    .requiredOption('--seats <seats>', 'seats, e.g. A-1,A-2')
    .addHelpText('after', examples('boxoffice seats release Hamlet --seats A-1,A-2'))
    .action(async (ref: string, opts: { seats: string }, cmd: Command) => withCore(deps, cmd, (session) => runSeatsRelease(io, session, ref, opts)));
}

/**
 * `seats --json`: the text JSON.stringify(eventAvailability(…)) makes (indented on a terminal, as
 * printJson does), written a section at a time from text SQLite composes, so an 80,000-seat
 * stadium never becomes 80,000 objects.
 */
async function printSeatsJson(io: IO, ctx: CoreContext, eventId: number, sections: SectionTotals[], now: string): Promise<void> {
  const out = io.stdout;
  if (sections.length === 0) {
    out.write('[]\n');
    return;
  }
  const pretty = io.isTTY;
  // A section object as it sits in the indented array: one level in.
  const nested = (value: object) => `  ${jsonText(value, 2).replace(/\n/g, '\n  ')}`;
  const qualify = sections.some((s) => s.kind === 'reserved') && (await reservedSectionCount(ctx.db, eventId)) > 1;
  out.write(pretty ? '[\n' : '[');
  for (const [i, section] of sections.entries()) {
    if (i > 0) out.write(pretty ? ',\n' : ',');
    if (section.kind === 'ga') {
      out.write(pretty ? nested(section) : jsonText(section));
      continue;
    }
    const seats = await sectionSeatsJson(ctx, eventId, section, now, { qualify, pretty });
    // The section's own fields, then its seats as the last field.
    out.write(pretty ? `${nested(section).slice(0, -'\n  }'.length)},\n    "seats": ` : `${jsonText(section).slice(0, -1)},"seats":`);
    // SQLite's JSON escapes C0 controls; bytes straight from it are written as they are (a
    // stadium's seats in a tenth of a second), text gets DEL, C1 and bidi controls escaped too.
    for (const piece of seats) out.write(typeof piece === 'string' ? escapeJsonControls(piece) : piece);
    out.write(pretty ? '\n  }' : '}');
  }
  out.write(pretty ? '\n]\n' : ']\n');
}
