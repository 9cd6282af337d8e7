import type { Command } from 'commander';
import { addVenue, generateGaSection, generateReservedBlock, listVenues, showVenue } from '../../../core/venues/venues.js';
import { invalid } from '../../../core/errors.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printFields, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';

export async function runVenueAdd(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, name: string, opts: { city: string; timezone: string }) {
  const v = await addVenue(ctx, { name, city: opts.city, timezone: opts.timezone });
  if (global.json) return printJson(io, v);
  printFields(io, [
    ['venue', v.name],
    ['id', v.id],
    ['city', v.city],
    ['timezone', v.timezone],
  ]);
  say(io, `Next: boxoffice venue seatmap generate ${v.id} --section Stalls --rows A-J --seats 1-20`);
}

export async function runVenueList(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>) {
  const venues = await listVenues(ctx);
  if (global.json) return printJson(io, venues);
  printTable(io, venues, [
    { header: 'id', value: (v) => v.id, align: 'right' },
    { header: 'name', value: (v) => v.name },
    { header: 'city', value: (v) => v.city },
    { header: 'timezone', value: (v) => v.timezone },
  ]);
}

export async function runVenueShow(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const { sections, ...v } = await showVenue(ctx, ref);
  if (global.json) return printJson(io, { ...v, sections });
  printFields(io, [
    ['venue', v.name],
    ['id', v.id],
    ['city', v.city],
    ['timezone', v.timezone],
  ]);
  io.stdout.write('\n');
  printTable(io, sections, [
    { header: 'section', value: (s) => s.name },
    { header: 'kind', value: (s) => (s.kind === 'ga' ? 'general admission' : 'reserved') },
    { header: 'rows', value: (s) => (s.kind === 'ga' ? '' : s.rows), align: 'right' },
    { header: 'capacity', value: (s) => s.capacity, align: 'right' },
    { header: 'zone', value: (s) => s.zone },
  ]);
}

export async function runVenueSeatmapGenerate(
  io: IO,
  { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>,
  ref: string,
  opts: { section: string; rows?: string; seats?: string; capacity?: string; zone?: string },
) {
  let change: Awaited<ReturnType<typeof generateGaSection>> | Awaited<ReturnType<typeof generateReservedBlock>>;
  if (opts.capacity !== undefined) {
    if (opts.rows || opts.seats) throw invalid('give either --capacity (general admission) or --rows and --seats (reserved), not both');
    if (!/^\d+$/.test(opts.capacity)) throw invalid(`--capacity must be a whole number, not ${JSON.stringify(opts.capacity)}`);
    change = await generateGaSection(ctx, ref, { section: opts.section, capacity: Number(opts.capacity), zone: opts.zone });
  } else {
    if (!opts.rows || !opts.seats) throw invalid('a reserved block needs --rows and --seats (or --capacity for general admission)');
    change = await generateReservedBlock(ctx, ref, { section: opts.section, rows: opts.rows, seats: opts.seats, zone: opts.zone });
  }
  if (global.json) return printJson(io, change);
  say(io, change.kind === 'ga' ? `${change.venue.name}: ${change.section} is general admission for ${change.capacity}` : `${change.venue.name}: added ${change.seatsAdded} seats to ${change.section}`);
}

export function registerVenue(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const venue = program
    .command('venue')
    .description('venues and their seat maps')
    .addHelpText(
      'after',
      examples(
        'boxoffice venue add "Riverside Theatre" --city Lisbon --timezone Europe/Lisbon',
        'boxoffice venue seatmap generate "Riverside Theatre" --section Stalls --rows A-T --seats 1-30',
        'boxoffice venue list',
      ),
    );

  venue
    .command('add <name>')
    .description('add a venue')
    .requiredOption('--city <city>', 'the city it is in')
    .option('--timezone <tz>', 'IANA time zone for showing event times', 'UTC')
    .addHelpText('after', examples('boxoffice venue add "Riverside Theatre" --city Lisbon --timezone Europe/Lisbon'))
    .action(async (name: string, opts: { city: string; timezone: string }, cmd: Command) => withCore(deps, cmd, (session) => runVenueAdd(io, session, name, opts)));

  venue
    .command('list')
    .description('list venues')
    .addHelpText('after', examples('boxoffice venue list', 'boxoffice venue list --json'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runVenueList(io, session)));

  venue
    .command('show <venue>')
    .description('a venue and its sections')
    .addHelpText('after', examples('boxoffice venue show "Riverside Theatre"', 'boxoffice venue show 1 --json'))
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runVenueShow(io, session, ref)));

  const seatmap = venue
    .command('seatmap')
    .description("build a venue's seat map")
    .addHelpText(
      'after',
      examples(
        'boxoffice venue seatmap generate 1 --section Stalls --rows A-T --seats 1-30',
        'boxoffice venue seatmap generate 1 --section Floor --capacity 500',
        'boxoffice venue seatmap import 1 seats.csv',
      ),
    );
  seatmap
    .command('generate <venue>')
    .description('add a block of reserved seats (rows × seats) or a general-admission section')
    .requiredOption('--section <name>', 'the section to add to (created if new)')
    .option('--rows <range>', 'row labels, e.g. A-T, AA-AD or 1-20')
    .option('--seats <range>', 'seat numbers in each row, e.g. 1-30')
    .option('--capacity <n>', 'a general-admission section of this many places')
    .option('--zone <zone>', 'price zone of these seats')
    .addHelpText(
      'after',
      examples(
        'boxoffice venue seatmap generate "Riverside Theatre" --section Stalls --rows A-T --seats 1-30',
        'boxoffice venue seatmap generate 1 --section Balcony --rows A-E --seats 1-16 --zone Balcony',
        'boxoffice venue seatmap generate 1 --section Floor --capacity 500',
      ),
    )
    .action(async (ref: string, opts: { section: string; rows?: string; seats?: string; capacity?: string; zone?: string }, cmd: Command) =>
      withCore(deps, cmd, (session) => runVenueSeatmapGenerate(io, session, ref, opts)),
    );
}
