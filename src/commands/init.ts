import type { Command } from 'commander';
import { seedDemo } from '../core/demo.js';
import { withCore, type CommandDeps } from './context.js';
import { printJson, say } from './output.js';
import { examples } from './program.js';

export function registerInit(program: Command, deps: CommandDeps): void {
  program
    .command('init')
    .description('create the database (or bring an old one up to date)')
    .option('--demo', 'add a sample venue, seat map and events on sale')
    .addHelpText('after', examples('boxoffice init', 'boxoffice --db venue.db init --demo', 'BOXOFFICE_DB=~/box.db boxoffice init'))
    .action(async (opts: { demo?: boolean }, cmd: Command) => {
      await withCore(
        deps,
        cmd,
        async ({ ctx, handle, global }) => {
          const demo = opts.demo ? await seedDemo(ctx) : false;
          if (global.json) return printJson(deps.io, { database: handle.file, created: handle.created, demo });
          say(deps.io, `${handle.created ? 'Created' : 'Opened'} ${handle.file}`);
          if (opts.demo) say(deps.io, demo ? 'Added the demo venues and events. Next: boxoffice event list' : 'The demo data is already there.');
          else say(deps.io, 'Next: boxoffice venue add "Main Hall" --city Lisbon --timezone Europe/Lisbon (or init --demo)');
        },
        { create: true },
      );
    });
}
