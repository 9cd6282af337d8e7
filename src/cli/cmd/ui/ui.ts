// `boxoffice ui`: the box-office TUI. Ink and React load here, lazily, and nowhere else.
import path from 'node:path';
import type { Command } from 'commander';
import type { CoreContext } from '../../../core/context.js';
import { BoxofficeError, invalid } from '../../../core/errors.js';
import { checkOutputTarget } from '../../../core/output-file.js';
import type { Actor } from '../../../core/staff/permissions.js';
import type { TicketActions } from '../../../ui/services.js';
import { resolveActor, withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { languageOf, mailSettingsOf, printSettingsOf } from '../../runtime/delivery.js';
import { examples } from '../../runtime/help.js';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Where the receipt saves an order's PDF: tickets-<order>.pdf, or -2, -3… when that is taken. The
 * screen has no --force, and saving twice must neither fail nor replace a file.
 */
function freePdfName(dir: string, order: string): string {
  for (let n = 1; ; n++) {
    try {
      return checkOutputTarget(path.resolve(dir, `tickets-${order}${n === 1 ? '' : `-${n}`}.pdf`));
    } catch (err) {
      if (!(err instanceof BoxofficeError && err.code === 'already_exists') || n >= 99) throw err;
    }
  }
}

/**
 * The receipt's print, email and save-PDF actions, over the same core calls as `boxoffice tickets
 * print|email|pdf`, with the same settings. pdfkit and nodemailer load on first use.
 */
export function receiptActions(session: Pick<CoreSession, 'setting'>, ctx: CoreContext, env: NodeJS.ProcessEnv, pdfDir = process.cwd()): TicketActions {
  const lang = languageOf(session, undefined);
  return {
    async savePdf(order) {
      const { writeOrderPdf } = await import('../../../core/tickets/documents.js');
      const file = freePdfName(pdfDir, order);
      const pdf = await writeOrderPdf(ctx, order, file, { layout: 'a4', lang });
      return `Saved ${plural(pdf.tickets, 'ticket')} to ${pdf.file}`;
    },
    async print(order) {
      const { printOrderTickets } = await import('../../../core/tickets/print.js');
      const result = await printOrderTickets(ctx, { order, settings: printSettingsOf(session, env), layout: 'a4', lang });
      return `Sent ${plural(result.tickets, 'ticket')} to ${result.printer ? `printer ${result.printer}` : 'the default printer'} (${result.command[0]})`;
    },
    async email(order) {
      const { emailTickets } = await import('../../../core/mail/tickets-mail.js');
      const outcome = await emailTickets(ctx, { order, lang }, mailSettingsOf(session));
      if (!outcome.notSent) return `Emailed the tickets to ${outcome.mail.to}`;
      return `Queued for ${outcome.mail.to}, not sent yet: ${outcome.notSent} (it is retried while the TUI is open, and by boxoffice mail retry)`;
    },
    async retryDueMail() {
      const settings = mailSettingsOf(session);
      if (!settings) return 0;
      const { deliverMail } = await import('../../../core/mail/queue.js');
      return (await deliverMail(ctx, { settings })).sent.length;
    },
  };
}

export function registerUi(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('ui')
    .description('the box-office terminal: sell seats from a live seat map, take payment, print or email tickets, scan at the door')
    .option('--gate <gate>', 'door mode: the gate this terminal scans at (asked otherwise)')
    .addHelpText(
      'after',
      examples(
        'boxoffice ui                                # also what bare `boxoffice` opens on a terminal',
        'BOXOFFICE_DB=venue.db boxoffice ui --gate 2',
        'NO_COLOR=1 boxoffice ui                     # symbols only, no colour',
      ) + '\nKeys are listed at the foot of every screen; see docs/tui.md.\n',
    )
    .action(async (opts: { gate?: string }, cmd: Command) => {
      // Ink needs a terminal for raw keys; piped, it would wait for keys that never come.
      if (!io.canPrompt) {
        throw invalid('boxoffice ui needs a terminal (stdin and stdout must be a TTY)', 'for scripts use the commands instead: boxoffice --help');
      }
      await withCore(
        deps,
        cmd,
        async (session) => {
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
          const [{ runTui }, { createAuth, createServices }] = await Promise.all([import('../../../ui/app.js'), import('../../../ui/services.js')]);
          const color = io.isTTY && global.color !== false && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
          await runTui({
            actor,
            auth: createAuth(tuiBase),
            makeServices: (a) => createServices(tuiBase, a, receiptActions(session, { ...tuiBase, actor: a }, io.env)),
            color,
            gate: opts.gate ?? null,
            stdin: io.stdin as NodeJS.ReadStream,
            stdout: io.stdout as NodeJS.WriteStream,
          });
        },
        { authenticate: false },
      );
    });
}
