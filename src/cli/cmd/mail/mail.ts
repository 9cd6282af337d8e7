import type { Command } from 'commander';
import { BoxofficeError, invalid } from '../../../core/errors.js';
import { listMail, MAIL_STATUSES, type DeliveryReport, type MailView } from '../../../core/mail/queue.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { mailSettingsOf } from '../../runtime/delivery.js';
import { paint, type IO, type Style } from '../../runtime/io.js';
import { oneLine, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { count } from '../../runtime/parse.js';

const mailStatus = (m: MailView): [string, Style] =>
  m.status === 'sent' ? ['sent', 'green'] : m.status === 'sending' ? ['sending', 'yellow'] : m.attempts > 0 ? ['retrying', 'red'] : ['queued', 'yellow'];

const short = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

function printMails(io: IO, mails: MailView[]): void {
  printTable(io, mails, [
    { header: 'id', value: (m) => m.id, align: 'right' },
    { header: 'status', value: (m) => mailStatus(m)[0], style: (m) => mailStatus(m)[1], raw: (m) => m.status },
    { header: 'to', value: (m) => m.to },
    { header: 'order', value: (m) => m.order },
    { header: 'lang', value: (m) => m.lang },
    { header: 'attempts', value: (m) => m.attempts, align: 'right' },
    { header: 'next try', value: (m) => short(m.nextAttemptAt), raw: (m) => m.nextAttemptAt },
    { header: 'sent', value: (m) => short(m.sentAt), raw: (m) => m.sentAt },
    { header: 'last error', value: (m) => m.lastError },
    { header: 'subject', value: (m) => m.subject },
  ]);
}

function ids(values: string[]): number[] | undefined {
  if (values.length === 0) return undefined;
  return values.map((v) => {
    if (!/^\d+$/.test(v.trim())) throw invalid(`a mail id is a number, not ${JSON.stringify(v)}`, 'see the ids with: boxoffice mail list');
    return Number(v);
  });
}

function reportDelivery(io: IO, report: DeliveryReport): void {
  for (const m of report.sent) io.stdout.write(`${paint(io, 'green', 'sent')}    mail ${m.id} to ${oneLine(m.to)}${m.order ? ` (order ${m.order})` : ''}\n`);
  for (const m of report.failed) io.stdout.write(`${paint(io, 'red', 'failed')}  mail ${m.id} to ${oneLine(m.to)}: ${oneLine(m.lastError)}; next try after ${short(m.nextAttemptAt)}\n`);
  for (const id of report.busy) io.stdout.write(`${paint(io, 'yellow', 'busy')}    mail ${id} is being sent by another process\n`);
  for (const id of report.alreadySent) io.stdout.write(`${paint(io, 'dim', 'skipped')} mail ${id} was sent already; it is never sent twice\n`);
}

export async function runMailList(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { status?: string; order?: string; limit?: string }) {
  const mails = await listMail(ctx, { status: opts.status, order: opts.order, limit: count(opts.limit, '--limit') });
  if (global.json) return printJson(io, mails);
  printMails(io, mails);
}

export async function runMailRetry(io: IO, session: CoreSession, values: string[]) {
  const { ctx, global } = session;
  const wanted = ids(values);
  const settings = mailSettingsOf(session);
  if (!settings) throw invalid('no mail server is set', 'set BOXOFFICE_SMTP_URL=smtp://user:pass@host:587 (or: boxoffice config set smtp.url …), then retry');
  const { deliverMail } = await import('../../../core/mail/queue.js');
  const report = await deliverMail(ctx, { settings, ids: wanted, force: true });
  if (global.json) printJson(io, report);
  else if (report.sent.length + report.failed.length + report.busy.length + report.alreadySent.length === 0) say(io, 'No mail is waiting.');
  else reportDelivery(io, report);
  if (report.failed.length > 0) {
    throw new BoxofficeError(
      'delivery_failed',
      `${report.failed.length} mail${report.failed.length === 1 ? '' : 's'} could not be sent via ${settings.display}`,
      'they stay queued and are retried with backoff; run boxoffice mail retry again when the server is back',
      { failed: report.failed.map((m) => ({ id: m.id, error: m.lastError })) },
    );
  }
}

export function registerMail(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const group = program
    .command('mail')
    .description('the email queue: every ticket email waits here until the mail server takes it')
    .addHelpText('after', examples('boxoffice mail list', 'boxoffice mail retry'));

  group
    .command('list')
    .description('queued, retrying and sent mail, newest first (manager)')
    .option('--status <status>', `only this status (${MAIL_STATUSES.join(', ')})`)
    .option('--order <code>', "only this order's mail")
    .option('--limit <n>', 'at most this many (default 1000)')
    .addHelpText('after', examples('boxoffice mail list', 'boxoffice mail list --status queued', 'boxoffice mail list --order K7P3QX --json'))
    .action(async (opts: { status?: string; order?: string; limit?: string }, cmd: Command) => withCore(deps, cmd, (session) => runMailList(io, session, opts), { retryMail: false }));

  group
    .command('retry [ids...]')
    .description('send every unsent mail now, whatever its backoff (or only the given ids); a sent mail is never sent again (manager: it lists every recipient)')
    .addHelpText('after', examples('boxoffice mail retry', 'boxoffice mail retry 12 13', 'BOXOFFICE_SMTP_URL=smtps://user:pass@mail.example.com boxoffice mail retry --json'))
    .action(async (values: string[], _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runMailRetry(io, session, values), { retryMail: false }));
}
