import type { Command } from 'commander';
import { checkIn } from '../../../core/tickets/checkin.js';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { oneLine, printJson } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { paint } from '../../runtime/io.js';

export function registerCheckin(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('checkin <code>')
    .description('admit a ticket at the door: once only; a second scan is refused with the first scan\'s time and gate')
    .option('--event <event>', 'refuse tickets for other events')
    .option('--gate <gate>', 'the gate or door scanning')
    .addHelpText('after', examples('boxoffice checkin 3M8Q4ZK0WJ2B5N7T9V1XCD6EFG --event Hamlet --gate 2', 'boxoffice checkin "$CODE" --json'))
    .action(async (code: string, opts: { event?: string; gate?: string }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const admission = await checkIn(ctx, { code, event: opts.event, gate: opts.gate });
        if (global.json) return printJson(io, admission);
        io.stdout.write(`${paint(io, 'green', 'ADMITTED')}  ${oneLine(`${admission.event.name} · ${admission.seat ?? `${admission.section} (general admission)`} · ${admission.tier}`)} · order ${admission.order}\n`);
      }, { write: 'the ticket was not admitted' }),
    );
}
