// The command tree. Each group lives in its own file and registers itself here.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, exitCodeFor } from '../core/errors.js';
import type { IO } from './io.js';
import { reportError } from './output.js';
import type { CommandDeps } from './context.js';
import { registerInit } from './init.js';
import { registerVenue } from './venue.js';
import { registerEvent } from './event.js';
import { registerSeats } from './seats.js';
import { registerSale } from './sale.js';
import { registerOrder } from './order.js';
import { registerCheckin } from './checkin.js';
import { registerStaff } from './staff.js';
import { registerAuth } from './auth.js';
import { registerConfig } from './config.js';
import { registerCustomer } from './customer.js';
import { registerLead } from './lead.js';
import { registerLog } from './log.js';
import { registerBackup } from './backup.js';
import { registerCompletion } from './completion.js';
import { registerImport } from './import.js';
import { registerExport } from './export.js';
import { registerSync } from './sync.js';
import { registerReport } from './report.js';
import { registerUi } from './ui.js';
import { registerTickets } from './tickets.js';
import { registerMail } from './mail.js';
import { VERSION } from './version.js';

export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

export function buildProgram(deps: CommandDeps): Command {
  const program = new Command('boxoffice')
    .description('A box office in one command: sell seats, take payment, issue and check tickets.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--db <file>', 'database file (env BOXOFFICE_DB; default: your data directory)'))
    .option('--json', 'machine-readable output on stdout; errors as JSON on stderr')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .addHelpText(
      'after',
      examples(
        'boxoffice init --demo                       # a database with a sample venue and events',
        'boxoffice event list',
        'boxoffice seats Hamlet',
        'boxoffice sell Hamlet --best 2 --tier Adult --pay cash --tendered 60',
        'boxoffice checkin 7QK2…  --gate 1',
      ),
    );
  registerInit(program, deps);
  registerVenue(program, deps);
  registerEvent(program, deps);
  registerSeats(program, deps);
  registerSale(program, deps);
  registerOrder(program, deps);
  registerCheckin(program, deps);
  registerStaff(program, deps);
  registerCustomer(program, deps);
  registerLead(program, deps);
  registerAuth(program, deps);
  registerLog(program, deps);
  registerBackup(program, deps);
  registerConfig(program, deps);
  registerCompletion(program, deps);
  registerTickets(program, deps);
  registerMail(program, deps);
  registerImport(program, deps);
  registerExport(program, deps);
  registerSync(program, deps);
  registerReport(program, deps);
  registerUi(program, deps);
  return program;
}

/** Applies the shared behaviour to every command: usage errors exit 2, output through `io`. */
function harden(cmd: Command, io: IO, json: boolean): void {
  cmd.exitOverride();
  // Under --json stderr carries one JSON object: no "(run with --help for usage)" line after it.
  if (json) cmd.showHelpAfterError(false);
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(json ? `${JSON.stringify({ error: { code: 'invalid_input', message: s.replace(/^error: /, '').trim() } })}\n` : s),
  });
  for (const sub of cmd.commands) harden(sub, io, json);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: IO): Promise<number> {
  // Bare `boxoffice` at a terminal opens the TUI; piped, it shows the usage and exits 2 as before.
  if (argv.length === 0 && io.canPrompt) argv = ['ui'];
  const json = argv.includes('--json');
  const program = buildProgram({ io });
  harden(program, io, json);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    reportError(io, err, json);
    return exitCodeFor(err);
  }
}

