import type { Command } from 'commander';
import { seedDemo } from '../../../core/demo.js';
import type { CoreContext } from '../../../core/context.js';
import { addVenue, validateTimezone } from '../../../core/venues/venues.js';
import { addStaff, validatePin } from '../../../core/staff/staff.js';
import { BoxofficeError } from '../../../core/errors.js';
import { markRehearsal, rehearsalMark } from '../../../core/rehearsal.js';
import fs from 'node:fs';
import path from 'node:path';
import { hasStaff } from '../../../core/staff/staff.js';
import { SINGLE_USER } from '../../../core/staff/permissions.js';
import { isPostgresUrl } from '../../../app/database.js';
import { databasePath, dbCommand, globalOptions, resolveActor, withCore, type CommandDeps } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printJson, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { askConfirm, askSecret, askText } from '../../runtime/prompt.js';
import type { CoreSession } from '../../runtime/context.js';

const accept = (check: (v: string) => unknown) => (value: string) => {
  try {
    check(value);
    return true as const;
  } catch (err) {
    return err instanceof BoxofficeError ? err.message : String(err);
  }
};

/** On a terminal, a new database gets a few questions: demo data, a first venue, a first admin. */
async function wizard(io: IO, ctx: CoreContext): Promise<void> {
  if (await askConfirm(io, 'Add a demo theatre and events to try things out?', '', false)) {
    await seedDemo(ctx);
    say(io, 'Added the demo venues and events. Next: boxoffice event list');
    return;
  }
  if (await askConfirm(io, 'Add your venue now?', '', true)) {
    const name = await askText(io, 'Venue name', '', (v) => (v.trim() ? true : 'a name, please'));
    const city = await askText(io, 'City', '', (v) => (v.trim() ? true : 'a city, please'));
    const timezone = await askText(io, 'Time zone', '', accept(validateTimezone), Intl.DateTimeFormat().resolvedOptions().timeZone);
    const venue = await addVenue(ctx, { name, city, timezone });
    say(io, `Added ${venue.name}. Next: boxoffice venue seatmap generate ${venue.id} --section Stalls --rows A-J --seats 1-20`);
  }
  if (await askConfirm(io, 'Add an admin with a PIN? (Until staff exist, anyone at this computer can do everything.)', '', false)) {
    const name = await askText(io, 'Admin name', '', (v) => (v.trim() ? true : 'a name, please'));
    let pin = await askSecret(io, 'PIN (4 to 12 digits)', '');
    while (accept(validatePin)(pin) !== true) pin = await askSecret(io, 'A PIN is 4 to 12 digits; PIN', '');
    await addStaff(ctx, { name, role: 'admin', pin });
    say(io, `Added ${name} (admin). Log in with: boxoffice login ${name}`);
  }
}

/** Creates or opens the database `where` names (`file`: a SQLite file's path, none on PostgreSQL), then demo data, the rehearsal mark or the first questions. */
export async function runInit(
  io: IO,
  { ctx: bare, handle, global, config }: Pick<CoreSession, 'ctx' | 'handle' | 'global' | 'config'>,
  opts: { demo?: boolean; input: boolean; rehearsal?: boolean },
  where: { target: string; file?: string },
) {
  const { target, file } = where;
  // Creating or migrating a database needs no operator (a new one has no staff, and a login
  // belongs to another database); demo data or the rehearsal mark in a database with staff
  // is an operator's change, checked by the core like any other.
  const staffed = await hasStaff(bare.db);
  const actor = !staffed ? SINGLE_USER : opts.demo || opts.rehearsal ? await resolveActor(handle, io.env, config) : bare.actor;
  const ctx = { ...bare, actor };
  const marking = opts.rehearsal ? await markRehearsal(ctx) : undefined;
  const rehearsal = marking?.mark ?? (await rehearsalMark(ctx.db));
  const demo = opts.demo ? await seedDemo(ctx) : false;
  if (global.json) return printJson(io, { database: handle.file, created: handle.created, demo, rehearsal: rehearsal !== null });
  say(io, `${handle.created ? 'Created' : 'Opened'} ${handle.file}${rehearsal && !marking ? ' (a rehearsal database)' : ''}`);
  if (marking) {
    say(
      io,
      marking.marked
        ? 'Marked it as a rehearsal database, for good: BOXOFFICE_NOW may now move its clock for every operator.'
        : `It has been a rehearsal database since ${rehearsal!.since} (marked by ${rehearsal!.by}).`,
    );
    if (!handle.created) return say(io, `Next: BOXOFFICE_NOW=2027-03-01T19:30:00Z ${dbCommand(file ?? target, 'whoami')} (any time later than what is recorded)`);
  }
  if (opts.demo) return say(io, demo ? 'Added the demo venues and events. Next: boxoffice event list' : 'The demo data is already there.');
  if (handle.created && opts.input && io.canPrompt) return wizard(io, ctx);
  say(io, 'Next: boxoffice venue add "Main Hall" --city Lisbon --timezone Europe/Lisbon (or init --demo)');
}

export function registerInit(program: Command, deps: CommandDeps): void {
  program
    .command('init')
    .description('create the database (or bring an old one up to date); on a terminal, a few questions to set up. Needs no login (only --demo on a database with staff acts as an operator)')
    .option('--demo', 'add a sample venue, seat map and events on sale')
    .option('--no-input', 'ask no questions')
    .option('--rehearsal', 'mark the database, for good, as a rehearsal database where BOXOFFICE_NOW may move the clock (admin)')
    .addHelpText(
      'after',
      examples(
        'boxoffice init',
        'boxoffice --db venue.db init --demo',
        'BOXOFFICE_DB=~/box.db boxoffice init --no-input',
        'boxoffice backup rehearsal.db && boxoffice --db rehearsal.db init --rehearsal   # rehearse on a copy',
        'BOXOFFICE_NOW=2027-03-01T19:30:00Z boxoffice --db rehearsal.db ui',
        'boxoffice --db postgres://box@db.example/box init   # PostgreSQL: creates the schema in an existing database',
      ) +
        '\nBOXOFFICE_NOW is honoured only while no staff are defined or on a rehearsal database; a\n' +
        'rehearsal database stays one (its records may carry moved times), so mark a copy, never the\n' +
        'live database. Even there nothing may be dated before what is already recorded.\n',
    )
    .action(async (opts: { demo?: boolean; input: boolean; rehearsal?: boolean }, cmd: Command) => {
      const target = databasePath(globalOptions(cmd), deps.io.env);
      // A SQLite file this run creates is removed again if init fails; a PostgreSQL database is the
      // server's (its migrations are transactional: a failed one leaves the schema as it was).
      const file = isPostgresUrl(target) ? undefined : path.resolve(target);
      const existed = file === undefined || fs.existsSync(file);
      await withCore(deps, cmd, (session) => runInit(deps.io, session, opts, { target, file }), { create: true, authenticate: false }).catch((err) => {
        // A database this run created and could not finish is removed, not left half-made.
        if (!existed) removeDatabase(file!);
        throw err;
      });
    });
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal', '-wake']) fs.rmSync(file + suffix, { force: true });
}
