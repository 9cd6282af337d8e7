// The command tree. Each group lives in its own folder under cmd/ and registers itself here.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, exitCodeFor } from './runtime/exit-codes.js';
import type { IO } from './runtime/io.js';
import { jsonText, reportError } from './runtime/output.js';
import { printable } from '../core/text.js';
import { LeaveWith, StoppedBySignal } from './runtime/signals.js';
import { leaveOnStopSignal } from '../core/output-file.js';
import type { CommandDeps } from './runtime/context.js';
import { VERSION } from './runtime/version.js';
import { examples } from './runtime/help.js';

type Register = (program: Command, deps: CommandDeps) => void;

// Every command group, in the order help lists them, each loaded only when it is needed: a
// command pays at start-up for its own modules, not for all of them.
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['init'], load: async () => (await import('./cmd/init/init.js')).registerInit },
  { names: ['venue'], load: async () => (await import('./cmd/venue/venue.js')).registerVenue },
  { names: ['event'], load: async () => (await import('./cmd/event/event.js')).registerEvent },
  { names: ['seats'], load: async () => (await import('./cmd/seats/seats.js')).registerSeats },
  { names: ['hold', 'sell'], load: async () => (await import('./cmd/sale/sale.js')).registerSale },
  { names: ['order', 'expire'], load: async () => (await import('./cmd/order/order.js')).registerOrder },
  { names: ['checkin'], load: async () => (await import('./cmd/checkin/checkin.js')).registerCheckin },
  { names: ['staff'], load: async () => (await import('./cmd/staff/staff.js')).registerStaff },
  { names: ['customer'], load: async () => (await import('./cmd/customer/customer.js')).registerCustomer },
  { names: ['lead'], load: async () => (await import('./cmd/lead/lead.js')).registerLead },
  { names: ['login', 'logout', 'whoami'], load: async () => (await import('./cmd/auth/auth.js')).registerAuth },
  { names: ['log'], load: async () => (await import('./cmd/log/log.js')).registerLog },
  { names: ['backup'], load: async () => (await import('./cmd/backup/backup.js')).registerBackup },
  { names: ['config'], load: async () => (await import('./cmd/config/config.js')).registerConfig },
  { names: ['completion'], load: async () => (await import('./cmd/completion/completion.js')).registerCompletion },
  { names: ['tickets'], load: async () => (await import('./cmd/tickets/tickets.js')).registerTickets },
  { names: ['mail'], load: async () => (await import('./cmd/mail/mail.js')).registerMail },
  // `import` also adds `venue seatmap import` to the venue group.
  { names: ['import', 'venue'], load: async () => (await import('./cmd/import/import.js')).registerImport },
  { names: ['export'], load: async () => (await import('./cmd/export/export.js')).registerExport },
  { names: ['sync'], load: async () => (await import('./cmd/sync/sync.js')).registerSync },
  { names: ['report'], load: async () => (await import('./cmd/report/report.js')).registerReport },
  { names: ['ui'], load: async () => (await import('./cmd/ui/ui.js')).registerUi },
];

/** The command word of argv (`event` in `--db x event list`), skipping global options. */
export function commandWord(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--db') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The command tree: only the group `argv` names when it names one, else all of it (help, an
 * unknown command and completion need every command).
 */
export async function buildProgram(deps: CommandDeps, argv?: string[]): Promise<Command> {
  const word = argv ? commandWord(argv) : undefined;
  const wanted = word !== undefined && word !== 'completion' && GROUPS.some((g) => g.names.includes(word)) ? GROUPS.filter((g) => g.names.includes(word)) : GROUPS;
  const registers = await Promise.all(wanted.map((g) => g.load()));
  const program = new Command('boxoffice')
    .description('A box office in one command: sell seats, take payment, issue and check tickets.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--db <file|url>', 'database: a SQLite file, or postgres://user:password@host/db (env BOXOFFICE_DB; default: a file in your data directory)'))
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
      ) +
        `
Names and other free text are one line of plain text: a control character or bidi override in
one is refused (exit 2). One stored anyway is shown as a visible escape (\\x1b, \\u202e), never
obeyed by the terminal; --json keeps it exact.
`,
    );
  for (const register of registers) register(program, deps);
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
    // A usage error quotes the arguments as typed: shown escaped, like every other message.
    outputError: (s, write) => write(json ? `${jsonText({ error: { code: 'invalid_input', message: s.replace(/^error: /, '').trim() } })}\n` : printable(s)),
  });
  for (const sub of cmd.commands) harden(sub, io, json);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: IO): Promise<number> {
  // Bare `boxoffice` at a terminal opens the TUI; piped, it shows the usage and exits 2 as before.
  if (argv.length === 0 && io.canPrompt) argv = ['ui'];
  const json = argv.includes('--json');
  if (io.leave) leaveOnStopSignal(io.leave);
  const program = await buildProgram({ io }, argv);
  harden(program, io, json);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A command stopped by a signal has said how far it got: no error to report.
    if (err instanceof StoppedBySignal || err instanceof LeaveWith) return err.exitCode;
    reportError(io, err, json);
    return exitCodeFor(err);
  }
}
