// `boxoffice ui`: the box-office TUI. Ink and React load here, lazily, and nowhere else.
import type { Command } from 'commander';
import { BoxofficeError, invalid } from '../../../core/errors.js';
import type { Actor } from '../../../core/staff/permissions.js';
import { resolveActor, withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { examples } from '../../runtime/help.js';
import { LeaveWith } from '../../runtime/signals.js';

export interface UiOptions {
  gate?: string;
}

/** Ink needs a terminal for raw keys; piped, it would wait for keys that never come. */
export function checkUiTerminal(io: IO): void {
  if (!io.canPrompt) {
    throw invalid('boxoffice ui needs a terminal (stdin and stdout must be a TTY)', 'for scripts use the commands instead: boxoffice --help');
  }
}

/** Runs the TUI on `io`'s terminal until the operator quits; resolves with its exit code (130/143 when a signal closed it). */
export async function runUi(io: IO, session: CoreSession, opts: UiOptions): Promise<number> {
  const { ctx, handle, global, config } = session;
  let actor: Actor | null;
  try {
    actor = await resolveActor(handle, io.env, config);
  } catch (err) {
    // With staff defined and nobody named in the environment, the TUI asks for a PIN itself.
    if (!(err instanceof BoxofficeError && err.code === 'not_authenticated') || io.env.BOXOFFICE_OPERATOR) throw err;
    actor = null;
  }
  // React's development build is several times slower; this process only ever runs the TUI now.
  process.env.NODE_ENV ??= 'production';
  // Ink draws only a final frame when it believes it runs in CI (CI=true). The TUI only
  // starts on a real terminal, so someone is looking at it: draw every frame.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { actor: _nobody, ...base } = ctx;
  const tuiBase = { ...base, channel: 'tui' };
  const [{ runTui }, { createAuth, createServices }, { receiptActions }] = await Promise.all([
    import('../../../ui/app.js'),
    import('../../../ui/services.js'),
    import('../../../ui/ticket-actions.js'),
  ]);
  const color = io.isTTY && global.color !== false && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  return runTui({
    actor,
    auth: createAuth(tuiBase),
    makeServices: (a) => createServices(tuiBase, a, receiptActions(session, { ...tuiBase, actor: a }, io.env)),
    color,
    gate: opts.gate ?? null,
    stdin: io.stdin as NodeJS.ReadStream,
    stdout: io.stdout as NodeJS.WriteStream,
  });
}

export function registerUi(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('ui')
    .description('the box-office terminal: sell seats from a live seat map, take payment, print or email tickets, scan at the door')
    .option('--gate <gate>', 'door mode: the gate this terminal scans at (asked otherwise)')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice ui                                # also what bare `boxoffice` opens on a terminal',
        'BOXOFFICE_DB=venue.db boxoffice ui --gate 2',
        'NO_COLOR=1 boxoffice ui                     # symbols only, no colour',
      )}\nKeys are listed at the foot of every screen; see docs/tui.md.\n`,
    )
    .action(async (opts: UiOptions, cmd: Command) => {
      checkUiTerminal(io);
      const code = await withCore(deps, cmd, (session) => runUi(io, session, opts), { authenticate: false });
      if (code !== 0) throw new LeaveWith(code);
    });
}
