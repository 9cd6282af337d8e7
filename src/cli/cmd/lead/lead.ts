import type { Command } from 'commander';
import { addLead, listLeads } from '../../../core/customers/leads.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';

export async function runLeadAdd(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, email: string, opts: { name?: string; source?: string; event?: string; consent?: boolean }) {
  const added = await addLead(ctx, { email, ...opts });
  if (global.json) return printJson(io, added);
  say(io, `Added lead ${added.id} <${added.email}>`);
}

export async function runLeadList(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>) {
  const rows = await listLeads(ctx);
  if (global.json) return printJson(io, rows);
  printTable(io, rows, [
    { header: 'id', value: (l) => l.id, align: 'right' },
    { header: 'email', value: (l) => l.email },
    { header: 'name', value: (l) => l.name },
    { header: 'source', value: (l) => l.source },
    { header: 'event', value: (l) => l.eventId },
    { header: 'consent', value: (l) => (l.consent ? 'yes' : 'no') },
    { header: 'converted', value: (l) => l.convertedOrder ?? '' },
  ]);
}

export function registerLead(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const lead = program
    .command('lead')
    .description('marketing leads; a lead converts when its email pays for an order')
    .addHelpText('after', examples('boxoffice lead add ana@example.com --source flyer --consent', 'boxoffice lead list --json'));

  lead
    .command('add <email>')
    .description('add a lead')
    .option('--name <name>', 'their name')
    .option('--source <source>', 'where the lead came from, e.g. flyer, newsletter')
    .option('--event <event>', 'the event they asked about')
    .option('--consent', 'they agreed to be contacted')
    .addHelpText('after', examples('boxoffice lead add ana@example.com --name "Ana Silva" --source flyer --event Hamlet --consent'))
    .action(async (email: string, opts: { name?: string; source?: string; event?: string; consent?: boolean }, cmd: Command) => withCore(deps, cmd, (session) => runLeadAdd(io, session, email, opts)));

  lead
    .command('list')
    .description('list leads and whether they converted (manager)')
    .addHelpText('after', examples('boxoffice lead list', 'boxoffice lead list --json'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runLeadList(io, session)));
}
