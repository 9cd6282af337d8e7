import type { Command } from 'commander';
import { auditLog } from '../../../core/outbox/audit.js';
import { invalid } from '../../../core/errors.js';
import { parseFilterTime } from '../../../core/time.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printJson, printTable } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { count } from '../../runtime/parse.js';

export async function runLog(
  io: IO,
  { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>,
  opts: { order?: string; event?: string; operator?: string; type?: string; since?: string; until?: string; limit?: string },
) {
  if (opts.type !== undefined && !/^[a-z_.]+$/.test(opts.type)) throw invalid(`--type must look like order.paid or order, not ${JSON.stringify(opts.type)}`);
  const entries = await auditLog(ctx, {
    order: opts.order,
    event: opts.event,
    operator: opts.operator,
    type: opts.type,
    since: opts.since ? parseFilterTime(opts.since, '--since') : undefined,
    until: opts.until ? parseFilterTime(opts.until, '--until') : undefined,
    limit: count(opts.limit, '--limit'),
  });
  if (global.json) return printJson(io, entries);
  printTable(io, entries, [
    { header: 'seq', value: (e) => e.seq, align: 'right' },
    { header: 'time', value: (e) => e.time.slice(0, 19).replace('T', ' '), raw: (e) => e.time },
    { header: 'operator', value: (e) => e.operator },
    { header: 'type', value: (e) => e.type },
    { header: 'subject', value: (e) => e.subject },
    { header: 'data', value: (e) => JSON.stringify(e.data) },
  ]);
}

export function registerLog(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('log')
    .description('the audit trail: every change, who made it and when (oldest first; manager)')
    .option('--order <code>', 'only this order and its tickets')
    .option('--event <event>', 'only this event, its orders and tickets')
    .option('--operator <name>', 'only what this operator did')
    .option('--type <type>', 'only this kind, e.g. order.paid, or a family: order')
    .option('--since <time>', 'from this time (UTC), e.g. 2027-03-01 or 2027-03-01T18:00')
    .option('--until <time>', 'before this time (UTC)')
    .option('--limit <n>', 'the newest N entries (default 1000)')
    .addHelpText('after', examples('boxoffice log --order K7P3QX', 'boxoffice log --event Hamlet --type order', 'boxoffice log --operator Rui --since 2027-03-01 --json'))
    .action(async (opts: { order?: string; event?: string; operator?: string; type?: string; since?: string; until?: string; limit?: string }, cmd: Command) =>
      withCore(deps, cmd, (session) => runLog(io, session, opts)),
    );
}
