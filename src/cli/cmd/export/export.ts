// `boxoffice export <kind>`: a table streamed out as CSV (spreadsheet-safe) or JSON.
import type { Command } from 'commander';
import { invalid } from '../../../core/errors.js';
import { writeOutputStream } from '../../../core/output-file.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printableStream, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { outputFileHelp } from '../../runtime/file-help.js';

export interface ExportFlags {
  format?: string;
  event?: string;
  output?: string;
  force?: boolean;
}

export async function runExport(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, kind: string, opts: ExportFlags) {
  const { exportData } = await import('../../../core/data/export.js');
  const requested = opts.format?.trim().toLowerCase();
  if (requested !== undefined && requested !== 'csv' && requested !== 'json') {
    throw invalid(`unknown format ${JSON.stringify(opts.format)}`, 'use --format csv or --format json');
  }
  if (global.json && requested === 'csv') throw invalid('--json and --format csv contradict each other');
  const format = global.json ? 'json' : (requested ?? 'csv');
  if (opts.output === undefined) {
    // At a terminal, a stored escape sequence is shown, not obeyed; a file or a pipe gets the data exactly.
    await exportData(ctx, { kind, format, event: opts.event }, io.isTTY ? printableStream(io.stdout) : io.stdout);
    return;
  }
  const written = await writeOutputStream(opts.output, { force: opts.force }, (out) => exportData(ctx, { kind, format, event: opts.event }, out));
  say(io, `Wrote ${written.result.rows} row${written.result.rows === 1 ? '' : 's'} of ${written.result.kind} to ${opts.output}`);
}

export function registerExport(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('export <kind>')
    .description('export orders, tickets, customers, leads or sales (the payments ledger) as CSV or JSON (manager)')
    .option('--format <format>', 'csv or json (--format json is the same as --json)')
    .option('--event <event>', 'only this event (orders, tickets, leads, sales)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--force', 'with -o: replace the file if it exists')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice export orders > orders.csv',
        'boxoffice export tickets --event Hamlet --format json',
        'boxoffice export leads -o leads.csv',
        'boxoffice export orders -o orders.csv --force     # replaces orders.csv',
        "boxoffice export sales --json | jq 'map(.amount) | add'",
      )}
CSV headers are snake_case (event_id, created_at), like piped tables; JSON keys are camelCase
(eventId, createdAt), like every other --json. CSV money is in major units (25.00) beside its
currency; JSON money is integer minor units.
Cells starting with = + - @ (or a tab or carriage return) get a leading ' so spreadsheets show
them as text instead of running them as formulas.
${outputFileHelp('With -o, the file holds personal data: it')}`,
    )
    .action(async (kind: string, opts: ExportFlags, cmd: Command) => withCore(deps, cmd, (session) => runExport(io, session, kind, opts)));
}
