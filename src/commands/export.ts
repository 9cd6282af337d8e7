// `boxoffice export <kind>`: a table streamed out as CSV (spreadsheet-safe) or JSON.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { invalid } from '../core/errors.js';
import { withCore, type CommandDeps } from './context.js';
import { printableStream, say } from './output.js';
import { examples } from './program.js';

interface ExportFlags {
  format?: string;
  event?: string;
  output?: string;
}

export function registerExport(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('export <kind>')
    .description('export orders, tickets, customers, leads or sales (the payments ledger) as CSV or JSON')
    .option('--format <format>', 'csv or json (--format json is the same as --json)')
    .option('--event <event>', 'only this event (orders, tickets, leads, sales)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice export orders > orders.csv',
        'boxoffice export tickets --event Hamlet --format json',
        'boxoffice export leads -o leads.csv',
        'boxoffice export sales --json | jq \'map(.amount) | add\'',
      )}
CSV headers are snake_case (event_id, created_at), like piped tables; JSON keys are camelCase
(eventId, createdAt), like every other --json. CSV money is in major units (25.00) beside its
currency; JSON money is integer minor units.
Cells starting with = + - @ (or a tab or carriage return) get a leading ' so spreadsheets show
them as text instead of running them as formulas.
`,
    )
    .action(async (kind: string, opts: ExportFlags, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, global }) => {
        const { exportData } = await import('../core/data/export.js');
        const requested = opts.format?.trim().toLowerCase();
        if (requested !== undefined && requested !== 'csv' && requested !== 'json') {
          throw invalid(`unknown format ${JSON.stringify(opts.format)}`, 'use --format csv or --format json');
        }
        if (global.json && requested === 'csv') throw invalid('--json and --format csv contradict each other');
        const format = global.json ? 'json' : (requested ?? 'csv');
        // At a terminal, a stored escape sequence is shown, not obeyed; a file or a pipe gets the data exactly.
        let out: Writable = io.isTTY ? printableStream(io.stdout) : io.stdout;
        let file: fs.WriteStream | undefined;
        if (opts.output !== undefined) {
          file = fs.createWriteStream(opts.output, { flags: 'w', mode: 0o600 });
          await new Promise<void>((resolve, reject) => file!.once('open', () => resolve()).once('error', reject)).catch((err: NodeJS.ErrnoException) => {
            throw invalid(`cannot write ${opts.output}: ${err.code ?? err.message}`);
          });
          out = file;
        }
        try {
          const result = await exportData(ctx, { kind, format, event: opts.event }, out);
          if (file) {
            await new Promise<void>((resolve, reject) => file!.end((err?: Error | null) => (err ? reject(err) : resolve())));
            say(io, `Wrote ${result.rows} row${result.rows === 1 ? '' : 's'} of ${result.kind} to ${opts.output}`);
          }
        } catch (err) {
          // A half-written export is worse than none.
          if (file) {
            file.destroy();
            fs.rmSync(opts.output!, { force: true });
          }
          throw err;
        }
      }),
    );
}
