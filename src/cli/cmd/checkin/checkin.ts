import type { Command } from 'commander';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { examples } from '../../runtime/help.js';
import { runCheckin } from './run.js';

export function registerCheckin(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('checkin <code>')
    .description("admit a ticket at the door: once only; a second scan is refused with the first scan's time and gate")
    .option('--event <event>', 'refuse tickets for other events')
    .option('--gate <gate>', 'the gate or door scanning')
    .addHelpText('after', examples('boxoffice checkin 3M8Q4ZK0WJ2B5N7T9V1XCD6EFG --event Hamlet --gate 2', 'boxoffice checkin "$CODE" --json'))
    .action(async (code: string, opts: { event?: string; gate?: string }, cmd: Command) =>
      withCore(deps, cmd, (session) => runCheckin(io, session, { ...opts, code }), { write: 'the ticket was not admitted' }),
    );
}
