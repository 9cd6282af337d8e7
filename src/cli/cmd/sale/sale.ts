import type { Command } from 'commander';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { examples } from '../../runtime/help.js';
import { runHold, type HoldOptions } from './hold.js';
import { runSell, type SellOptions } from './sell.js';

function selectionOptions(cmd: Command): Command {
  return cmd
    .option('--seats <seats>', 'these seats: A-1,A-2 (or Stalls:A-1 where sections share row names)')
    .option('--best <n>', 'the best N adjacent seats: front and centre first, in the first section that has them (or --section)')
    .option('--quantity <n>', 'N general-admission places')
    .option('--section <name>', 'with --best or --quantity: in this section')
    .option('--email <email>', "the buyer's email (matched to a customer)")
    .option('--name <name>', 'the name on the tickets');
}

export function registerSale(program: Command, deps: CommandDeps): void {
  const { io } = deps;

  selectionOptions(
    program
      .command('hold <event>')
      .description('hold seats for a pending order; they are free again when the hold expires')
      .option('--tier <tiers>', 'Adult, or Adult=2,Child=1 in seat order (needed when the event has several tiers)')
      .option('--minutes <m>', 'how long the hold lasts (default 15)'),
  )
    .addHelpText(
      'after',
      examples('boxoffice hold Hamlet --best 4 --tier Adult=2,Child=2', 'boxoffice hold Hamlet --seats A-5,A-6 --tier Adult --minutes 30', 'boxoffice order pay <code> --pay card --card-ref 8841'),
    )
    .action(async (event: string, opts: Omit<HoldOptions, 'event'>, cmd: Command) => withCore(deps, cmd, (session) => runHold(io, session, { ...opts, event }), { write: 'nothing was held' }));

  selectionOptions(
    program
      .command('sell <event>')
      .description('sell seats and take payment in one step; tickets are issued at once')
      .requiredOption('--tier <tiers>', 'Adult for every seat, or Adult=2,Child=1 in seat order')
      .requiredOption('--pay <method>', 'cash, card, comp (manager) or external')
      .option('--tendered <amount>', 'cash handed over, e.g. 50.00 (default: the exact total)')
      .option('--card-ref <ref>', "the card terminal's reference (card)")
      .option('--ref <ref>', 'the reference from another channel (external)')
      .option('--idempotency-key <key>', 'retrying with the same key never charges twice (generated if not given)')
      .option(
        '--pdf <file>',
        'write the tickets to this PDF after the sale (the file is checked before the sale; should writing it still fail, the sale stands and a warning says how to make the PDF again)',
      )
      .option('--layout <layout>', 'with --pdf: a4 (default) or stock')
      .option('--force', 'with --pdf: replace the file if it exists')
      .option('--send', 'email the tickets to --email after the sale (queued; a mail server that is down never fails the sale)')
      .option('--lang <lang>', 'language of the PDF and email: en or pt (default BOXOFFICE_LANG, else en)'),
  )
    .addHelpText(
      'after',
      examples(
        'boxoffice sell Hamlet --best 2 --tier Adult --pay cash --tendered 60',
        'boxoffice sell Hamlet --seats C-7,C-8,C-9 --tier Adult=2,Child=1 --pay card --card-ref 8841',
        'boxoffice sell "Late Jazz" --quantity 4 --tier Standing --pay external --ref WEB-1029 --email ana@example.com',
        'boxoffice sell 3 --best 2 --tier Adult --pay cash --idempotency-key till2-0042 --json',
        'boxoffice sell Hamlet --best 2 --tier Adult --pay card --card-ref 8841 --pdf tickets.pdf',
        'boxoffice sell Hamlet --best 2 --tier Adult --pay cash --pdf till.pdf --force   # replaces till.pdf',
        'boxoffice sell Hamlet --best 2 --tier Adult --pay cash --email joao@example.pt --name "João" --send --lang pt',
      ) +
        '\nStopped (Ctrl-C, kill) before the sale is saved, nothing is sold (exit 130, or 143 for SIGTERM).\n' +
        'Once it is saved, the sale is reported in full (order code, --json) before the command exits 130/143.\n' +
        'A PDF or email that fails after the sale is a warning naming the command that tries again; the exit stays 0.\n',
    )
    .action(async (event: string, opts: Omit<SellOptions, 'event'>, cmd: Command) => withCore(deps, cmd, (session) => runSell(io, session, { ...opts, event }), { write: 'nothing was sold' }));
}
