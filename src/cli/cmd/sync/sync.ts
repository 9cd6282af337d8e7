// `boxoffice sync export|status`: the domain-event feed as newline-delimited CloudEvents.
import type { Command } from 'commander';
import { invalid } from '../../../core/errors.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { onStopSignal, StoppedBySignal, type StopSignal } from '../../runtime/signals.js';

export interface ExportFlags {
  consumer?: string;
  since?: string;
  follow?: boolean;
  to?: string;
  batch?: string;
  interval?: string;
  retries?: string;
  backoff?: string;
  timeout?: string;
}

function whole(text: string | undefined, what: string, min = 0): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw invalid(`${what} must be a whole number${min ? ` of at least ${min}` : ''}, not ${JSON.stringify(text)}`);
  return Number(text);
}

export async function runSyncExport(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: ExportFlags) {
  const { runSyncExport } = await import('../../../core/sync/exporter.js');
  const { fileTarget, streamTarget } = await import('../../../core/sync/targets.js');
  const { httpTarget } = await import('../../../core/sync/http-target.js');
  const since = whole(opts.since, '--since');
  const to = opts.to ?? '-';
  const http = /^https?:\/\//i.test(to);
  if (!http && /^[a-z][a-z0-9+.-]*:\/\//i.test(to)) throw invalid(`cannot send the feed to ${to}`, 'use -, a file name, or an http(s):// URL');
  const batch = whole(opts.batch, '--batch', 1) ?? (http ? 500 : 2000);
  const retries = whole(opts.retries, '--retries');
  const quiet = Boolean(global.json);
  const target = http
    ? httpTarget(to, {
        attempts: retries ?? (opts.follow ? 0 : 8),
        backoffMs: whole(opts.backoff, '--backoff', 1),
        timeoutMs: whole(opts.timeout, '--timeout', 1),
        onRetry: ({ attempt, error, waitMs }) => {
          if (!quiet) say(io, `POST ${target.name} failed (${error}); attempt ${attempt + 1} in ${(waitMs / 1000).toFixed(1)} s`, { text: 'retrying:', style: 'yellow' });
        },
      })
    : to === '-'
      ? streamTarget(io.stdout)
      : fileTarget(to);
  const controller = new AbortController();
  let caught: StopSignal | undefined;
  const stopListening = onStopSignal((signal) => {
    caught = signal;
    controller.abort();
  });
  const stderrIsTTY = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const stderrTTY = stderrIsTTY && to !== '-' && !quiet;
  // The feed on stdout is usually piped into another program whose stderr is a log: a
  // summary there is noise. A person at a terminal still sees it.
  const summarise = to !== '-' || stderrIsTTY;
  let lastDraw = 0;
  try {
    const result = await runSyncExport(ctx, {
      consumer: opts.consumer,
      since,
      follow: opts.follow,
      target,
      batchSize: batch,
      pollMs: whole(opts.interval, '--interval', 10),
      signal: controller.signal,
      onProgress: ({ delivered, position }) => {
        if (!stderrTTY || Date.now() - lastDraw < 200) return;
        lastDraw = Date.now();
        io.stderr.write(`\r\u001b[2K${delivered.toLocaleString('en')} events delivered (sequence ${position})`);
      },
    });
    if (stderrTTY && lastDraw) io.stderr.write('\r\u001b[2K');
    const stoppedBy = result.stopped === 'interrupted' ? caught : undefined;
    // Stopped by a signal, it always says how far it got: whoever stopped it needs to know.
    if (summarise || stoppedBy) {
      if (global.json) {
        const summary = stoppedBy ? { ...result, signal: stoppedBy } : result;
        // stdout is the feed itself; the summary then goes to the terminal on stderr, still as JSON.
        if (to === '-') io.stderr.write(`${JSON.stringify(summary)}\n`);
        else printJson(io, summary);
      } else {
        const where = to === '-' ? 'stdout' : target.name;
        const cursor = result.consumer ? `; consumer ${result.consumer} is at sequence ${result.position}` : `; last sequence ${result.position}`;
        const why = stoppedBy ? ` (stopped by ${stoppedBy})` : result.stopped === 'target_closed' ? ' (the reader closed the stream)' : '';
        say(io, `Delivered ${result.delivered} events to ${where}${cursor}${why}.`);
      }
    }
    if (stoppedBy) throw new StoppedBySignal(stoppedBy);
  } finally {
    stopListening();
    await target.close();
  }
}

export async function runSyncStatus(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { consumer?: string }) {
  const { syncStatus } = await import('../../../core/sync/exporter.js');
  const status = await syncStatus(ctx, opts.consumer);
  if (global.json) return printJson(io, status.consumers);
  printTable(io, status.consumers, [
    { header: 'consumer', value: (c) => c.name },
    { header: 'position', value: (c) => c.position, align: 'right' },
    { header: 'head', value: (c) => c.head, align: 'right' },
    { header: 'lag', value: (c) => c.lag, style: (c) => (c.lag > 0 ? 'yellow' : undefined), align: 'right' },
    { header: 'delivered', value: (c) => c.delivered, align: 'right' },
    { header: 'updated', value: (c) => c.updatedAt.slice(0, 19).replace('T', ' '), raw: (c) => c.updatedAt },
    { header: 'exporting now', value: (c) => c.exporter ?? '-', raw: (c) => c.exporter ?? '' },
  ]);
  say(io, `Feed ${status.source ?? '(no source yet: created by the first sync export)'}: ${status.events} events, last sequence ${status.head}.`);
}

export function registerSync(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const sync = program
    .command('sync')
    .description('the domain-event feed (CloudEvents 1.0, one JSON per line) for other systems')
    .addHelpText('after', examples('boxoffice sync export --consumer crm --to https://crm.example.com/hooks/boxoffice', 'boxoffice sync export --since 0 --to events.ndjson', 'boxoffice sync status'));

  sync
    .command('export')
    .description('emit the event feed: to stdout, a file (appended) or an HTTP endpoint (POST, retried)')
    .option('--consumer <name>', 'a named reader: resume from, and advance, its cursor in the database')
    .option('--since <seq>', 'start after this sequence number (no cursor is kept)')
    .option('--follow', 'keep streaming new events as they are recorded (Ctrl-C to stop)')
    .option('--to <target>', '- (stdout), a FILE to append to, or an http(s):// URL to POST to', '-')
    .option('--batch <n>', 'events per read and per HTTP POST (default 2000; 500 for HTTP)')
    .option('--interval <ms>', 'with --follow: how often to look for new events', '1000')
    .option('--retries <n>', 'HTTP: attempts per batch before giving up (0: for ever; default 8, --follow: for ever)')
    .option('--backoff <ms>', 'HTTP: the first wait before a retry; each next one doubles (up to 30 s)', '500')
    .option('--timeout <ms>', 'HTTP: how long one attempt may take, connecting and answering included', '30000')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice sync export                                   # everything, to stdout',
        'boxoffice sync export --since 1200 | jq -c .type',
        'boxoffice sync export --consumer warehouse --to events.ndjson',
        'boxoffice sync export --consumer crm --to https://crm.example.com/hooks/boxoffice --follow',
        'boxoffice sync export --consumer crm --to http://localhost:8080/in --retries 3 --timeout 5000',
      )}
Each line: specversion, id (stable), source (urn:boxoffice:<uuid>), type (boxoffice.order.paid, …),
time, subject, datacontenttype, data, and the sequence extension. A consumer's cursor only moves
past events that were delivered, so a receiver may see an event twice after a crash but never
misses one: de-duplicate by id. One export at a time takes a consumer: another for the same
consumer exits 4 (consumer_busy) while it runs. Schemas per type: docs/events/.

HTTP: a batch is delivered when the endpoint answers the POST itself with a 2xx. 307 and 308 are
followed with the same POST (at most 5 hops, never from https to http); any other redirect, a
non-2xx answer, or no answer within --timeout is a failed attempt, retried with backoff; after
--retries attempts the export exits 1 with the cursor before that batch. Of an answer only the
first 4 KiB are read (for the error message).

Ctrl-C (SIGINT) or SIGTERM stops after the batch in flight (an HTTP POST in flight is abandoned
and sent again next time), saves the cursor, says how far it got on stderr and exits 130 (143
for SIGTERM); with --follow too. A second Ctrl-C stops at once.
`,
    )
    .action(async (opts: ExportFlags, cmd: Command) => withCore(deps, cmd, (session) => runSyncExport(io, session, opts)));

  sync
    .command('status')
    .description("each consumer's position in the feed and how far behind it is")
    .option('--consumer <name>', 'only this consumer')
    .addHelpText('after', examples('boxoffice sync status', 'boxoffice sync status --consumer crm --json'))
    .action(async (opts: { consumer?: string }, cmd: Command) => withCore(deps, cmd, (session) => runSyncStatus(io, session, opts)));
}
