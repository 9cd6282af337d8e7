// `boxoffice import <kind> <file>` and its alias `venue seatmap import <venue> <file>`.
import type { Command } from 'commander';
import type { ImportProgress, ImportResult } from '../../../core/data/import.js';
import { invalid } from '../../../core/errors.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { oneLine, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';

const KINDS = 'venues|seatmap|events|prices|leads';
const TTY_ROWS = 50;

export interface ImportFlags {
  dryRun?: boolean;
  venue?: string;
}

/** A one-line progress display on stderr, for files that take a moment; only on a terminal. */
function progressDisplay(io: IO, file: string, enabled: boolean) {
  const tty = enabled && Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const started = Date.now();
  let shown = false;
  let drawn = 0;
  let phase = '';
  const update = (p: ImportProgress) => {
    // Small files finish before anyone could read a progress line: show it after a moment only,
    // then redraw a few times a second (and at each change of phase, and at the end of one).
    const now = Date.now();
    const done = p.bytes >= p.totalBytes;
    if (!tty || now - started < 300 || (p.phase === phase && now - drawn < 100 && !done)) return;
    shown = true;
    drawn = now;
    phase = p.phase;
    const rows = p.rows.toLocaleString('en');
    const what =
      p.phase === 'reading'
        ? `reading ${oneLine(file)}  ${p.totalBytes ? Math.floor((100 * p.bytes) / p.totalBytes) : 100}%  ${rows} rows`
        : `writing ${rows} of ${p.totalBytes.toLocaleString('en')} rows`;
    io.stderr.write(`\r\u001b[2K${what}`);
  };
  const clear = () => {
    if (shown) io.stderr.write('\r\u001b[2K');
  };
  return { update, clear };
}

function report(io: IO, result: ImportResult, json: boolean): void {
  if (json) return printJson(io, result);
  const changed = result.changes.filter((c) => c.action !== 'unchanged');
  // People at a terminal see the first changes; scripts get them all (TSV, or --json).
  const shown = io.isTTY ? changed.slice(0, TTY_ROWS) : changed;
  if (result.dryRun && shown.length) {
    printTable(io, shown, [
      { header: 'line', value: (c) => c.line, align: 'right' },
      { header: 'action', value: (c) => c.action },
      { header: 'what', value: (c) => c.what },
      {
        header: 'changes',
        value: (c) =>
          c.changes
            ? Object.entries(c.changes)
                .map(([k, v]) => `${k}: ${v.from ?? '∅'} → ${v.to ?? '∅'}`)
                .join(', ')
            : '',
      },
    ]);
  }
  if (result.dryRun && shown.length < changed.length) say(io, `… and ${changed.length - shown.length} more (all of them with --json, or piped)`);
  const counts = `${result.created} to create, ${result.updated} to update, ${result.unchanged} unchanged`;
  if (result.dryRun) say(io, `Dry run of ${result.file} (${result.rows} rows, ${result.kind}): ${counts}. Nothing was written.`);
  else if (result.created + result.updated === 0) say(io, `${result.file}: all ${result.rows} rows are already in the database; nothing changed.`);
  else say(io, `Imported ${result.file} (${result.kind}): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`);
}

export async function runImport(io: IO, { ctx, global, stop }: Pick<CoreSession, 'ctx' | 'global' | 'stop'>, kind: string, file: string, flags: ImportFlags): Promise<void> {
  if (file === '-' && (io.stdin as { isTTY?: boolean } | undefined)?.isTTY) {
    throw invalid(`'-' reads the file from standard input, which is a terminal here`, `pipe it in: boxoffice import ${kind} - < ${kind}.csv`);
  }
  const { importFile } = await import('../../../core/data/import.js');
  const { removeAllSpools } = await import('../../../core/data/import-spool.js');
  const progress = progressDisplay(io, file === '-' ? 'stdin' : file, !global.json);
  // Stopped by Ctrl-C or a kill before it commits, leave no scratch files behind (the database
  // rolls back itself); after, the import finishes and is reported first (stop.ts).
  stop?.onAbandon(removeAllSpools);
  try {
    const result = await importFile(ctx, {
      kind,
      file,
      input: io.stdin,
      dryRun: flags.dryRun,
      venue: flags.venue,
      // The changes are printed by --json and --dry-run only; a plain import shows the counts,
      // and need not keep a record of every row.
      listChanges: Boolean(global.json || flags.dryRun),
      onProgress: progress.update,
    });
    progress.clear();
    report(io, result, Boolean(global.json));
  } catch (err) {
    progress.clear();
    throw err;
  }
}

/** The import, run as a write: a stop before its commit leaves nothing imported. */
function importAction(deps: CommandDeps, cmd: Command, kind: string, file: string, flags: ImportFlags): Promise<void> {
  return withCore(deps, cmd, (session) => runImport(deps.io, session, kind, file, flags), { write: 'nothing was imported' });
}

export function registerImport(program: Command, deps: CommandDeps): void {
  program
    .command('import <kind> <file>')
    .description(`import ${KINDS.replace(/\|/g, ', ')} from a CSV or JSON file: every row, or none`)
    .option('--dry-run', 'check the file and say what would be created or updated; write nothing')
    .option('--venue <venue>', 'seat maps: the venue every row belongs to (rows may leave venue empty)')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice import venues venues.csv',
        'boxoffice import seatmap stalls.csv --venue "Main Hall"',
        'boxoffice import events events.json --dry-run',
        'boxoffice import prices prices.csv',
        'boxoffice import leads leads.csv --json',
        'gunzip -c leads.csv.gz | boxoffice import leads -',
      )}
A file of - is standard input (CSV, or JSON when it starts with [).
Files are UTF-8 text (a BOM is fine), at most 100 columns; convert a Latin-1 one first:
  iconv -f latin1 -t utf-8 leads.csv > leads-utf8.csv
A bad row imports nothing: each one is named as FILE:LINE:COLUMN (the header is line 1), exit 2.
Text cells are one line of plain text: a control character (ESC, NUL, a line break inside) or a
bidi override in a cell is refused like any other bad value.
Importing the same file again changes nothing (rows are matched by external_id or natural key).
The columns of each kind: docs/import-formats.md (examples in docs/examples/).
`,
    )
    .action(async (kind: string, file: string, opts: ImportFlags, cmd: Command) => importAction(deps, cmd, kind, file, opts));

  // `venue seatmap import` is the same import, with the venue named up front; it lives here so
  // every import path shares one implementation.
  const seatmap = program.commands.find((c) => c.name() === 'venue')?.commands.find((c) => c.name() === 'seatmap');
  seatmap
    ?.command('import <venue> <file>')
    .description('import a seat map from CSV or JSON (the same as: import seatmap FILE --venue V)')
    .option('--dry-run', 'check the file and say what would be created or updated; write nothing')
    .addHelpText(
      'after',
      `${examples('boxoffice venue seatmap import "Main Hall" seatmap.csv', 'boxoffice venue seatmap import 1 seatmap.json --dry-run')}
Columns: section, row, seat, x, y, zone, accessible, obstructed; a general-admission section is one
row with section and capacity. See docs/import-formats.md.
`,
    )
    .action(async (venue: string, file: string, opts: ImportFlags, cmd: Command) => importAction(deps, cmd, 'seatmap', file, { ...opts, venue }));
}
