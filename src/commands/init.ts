import type { Command } from 'commander';
import { seedDemo } from '../core/demo.js';
import type { CoreContext } from '../core/context.js';
import { addVenue, validateTimezone } from '../core/venues/venues.js';
import { addStaff, validatePin } from '../core/staff/staff.js';
import { BoxofficeError } from '../core/errors.js';
import { isPostgresUrl } from '../db/target.js';
import { databasePath, globalOptions, postgresNotReady, withCore, type CommandDeps } from './context.js';
import type { IO } from './io.js';
import { printJson, say } from './output.js';
import { examples } from './program.js';
import { askConfirm, askSecret, askText } from './prompt.js';

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

/**
 * `init` on a postgres:// URL: creates or migrates the schema, nothing else for now. No demo
 * data, no wizard and no operator check: those run through the core, which is not ready for
 * PostgreSQL yet (docs/postgres.md); whoever holds the URL's credentials can create tables anyway.
 */
async function initPostgres(deps: CommandDeps, cmd: Command, opts: { demo?: boolean }): Promise<void> {
  if (opts.demo) throw postgresNotReady('init --demo');
  await withCore(
    deps,
    cmd,
    async ({ handle, global }) => {
      if (global.json) return printJson(deps.io, { database: handle.file, created: handle.created, demo: false });
      say(deps.io, `${handle.created ? 'Created the boxoffice schema in' : 'The boxoffice schema is up to date in'} ${handle.file}`);
      say(deps.io, 'PostgreSQL mode is being built: other commands refuse this database until it is complete (see docs/postgres.md).');
    },
    { create: true, authenticate: false, retryMail: false },
  );
}

export function registerInit(program: Command, deps: CommandDeps): void {
  program
    .command('init')
    .description('create the database (or bring an old one up to date); on a terminal, a few questions to set up')
    .option('--demo', 'add a sample venue, seat map and events on sale')
    .option('--no-input', 'ask no questions')
    .addHelpText('after', examples('boxoffice init', 'boxoffice --db venue.db init --demo', 'BOXOFFICE_DB=~/box.db boxoffice init --no-input', 'boxoffice --db postgres://box@db.example/box init   # PostgreSQL: the schema only, for now'))
    .action(async (opts: { demo?: boolean; input: boolean }, cmd: Command) => {
      if (isPostgresUrl(databasePath(globalOptions(cmd), deps.io.env))) return initPostgres(deps, cmd, opts);
      await withCore(
        deps,
        cmd,
        async ({ ctx, handle, global }) => {
          const demo = opts.demo ? await seedDemo(ctx) : false;
          if (global.json) return printJson(deps.io, { database: handle.file, created: handle.created, demo });
          say(deps.io, `${handle.created ? 'Created' : 'Opened'} ${handle.file}`);
          if (opts.demo) return say(deps.io, demo ? 'Added the demo venues and events. Next: boxoffice event list' : 'The demo data is already there.');
          if (handle.created && opts.input && deps.io.canPrompt) return wizard(deps.io, ctx);
          say(deps.io, 'Next: boxoffice venue add "Main Hall" --city Lisbon --timezone Europe/Lisbon (or init --demo)');
        },
        { create: true },
      );
    });
}
