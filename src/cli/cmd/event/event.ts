import type { Command } from 'commander';
import { addEvent, listEvents, publishEvent, showEvent, type EventView } from '../../../core/events/events.js';
import { setPrice } from '../../../core/events/tiers.js';
import { cancelEvent, type CancellationResult } from '../../../core/events/cancel.js';
import { confirmDestructive } from '../../runtime/prompt.js';
import { invalid } from '../../../core/errors.js';
import { parseFilterTime } from '../../../core/time.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printFields, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { localTime, money, rawMoney, statusLabel, statusStyle } from '../../runtime/render.js';

const STATUSES = ['draft', 'on_sale', 'cancelled', 'completed'];

function wholeNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw invalid(`${what} must be a whole number of at least 1, not ${JSON.stringify(text)}`);
  return Number(text);
}

function printEvent(io: IO, e: EventView) {
  printFields(io, [
    ['event', e.name],
    ['id', e.id],
    ['status', statusLabel(e.status), statusStyle(e.status)],
    ['venue', `${e.venue.name}, ${e.venue.city}`],
    ['starts', `${localTime(e.startsAt)} (${e.venue.timezone})`],
    ['ends', e.endsAt ? localTime(e.endsAt) : undefined],
    ['type', e.type ?? undefined],
    ['currency', e.currency],
    ['order limit', e.orderLimit],
  ]);
}

export async function runEventAdd(
  io: IO,
  { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>,
  name: string,
  opts: { venue: string; starts: string; ends?: string; type?: string; currency: string; orderLimit?: string },
) {
  const e = await addEvent(ctx, { name, venue: opts.venue, starts: opts.starts, ends: opts.ends, type: opts.type, currency: opts.currency, orderLimit: wholeNumber(opts.orderLimit, '--order-limit') });
  if (global.json) return printJson(io, e);
  printEvent(io, e);
  say(io, `Next: boxoffice event price ${e.id} --tier Adult --price 25.00, then boxoffice event publish ${e.id}`);
}

export async function runEventList(
  io: IO,
  { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>,
  opts: { status?: string; city?: string; type?: string; from?: string; to?: string; limit?: string; page?: string },
) {
  if (opts.status && !STATUSES.includes(opts.status)) throw invalid(`unknown status ${JSON.stringify(opts.status)}`, `use one of: ${STATUSES.join(', ')}`);
  const events = await listEvents(ctx, {
    status: opts.status,
    city: opts.city,
    type: opts.type,
    from: opts.from ? parseFilterTime(opts.from, '--from') : undefined,
    to: opts.to ? parseFilterTime(opts.to, '--to') : undefined,
    limit: wholeNumber(opts.limit, '--limit'),
    page: wholeNumber(opts.page, '--page'),
  });
  if (global.json) return printJson(io, events);
  printTable(io, events, [
    { header: 'id', value: (e) => e.id, align: 'right' },
    { header: 'name', value: (e) => e.name },
    { header: 'starts', value: (e) => localTime(e.startsAt), raw: (e) => e.startsAt },
    { header: 'venue', value: (e) => e.venue.name },
    { header: 'city', value: (e) => e.venue.city },
    { header: 'type', value: (e) => e.type },
    { header: 'status', value: (e) => statusLabel(e.status), style: (e) => statusStyle(e.status), raw: (e) => e.status },
  ]);
}

export async function runEventShow(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const e = await showEvent(ctx, ref);
  if (global.json) return printJson(io, e);
  printEvent(io, e);
  io.stdout.write('\n');
  const rows = e.tiers.flatMap((t): { tier: string; zone: string | null; price: number | null }[] =>
    t.prices.length ? t.prices.map((p) => ({ tier: t.name, ...p })) : [{ tier: t.name, zone: null, price: null }],
  );
  printTable(io, rows, [
    { header: 'tier', value: (r) => r.tier },
    { header: 'zone', value: (r) => r.zone ?? 'any' },
    { header: 'price', value: (r) => (r.price === null ? '' : money(r.price, e.currency)), raw: (r) => (r.price === null ? '' : rawMoney(r.price, e.currency)), align: 'right' },
  ]);
}

export async function runEventPublish(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const e = await publishEvent(ctx, ref);
  if (global.json) return printJson(io, e);
  say(io, `${e.name} is on sale. Sell with: boxoffice sell ${e.id} --best 2 --tier <tier> --pay cash`);
}

export async function runEventPrice(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: { tier: string; price: string; zone?: string }) {
  const tier = await setPrice(ctx, ref, opts);
  if (global.json) return printJson(io, tier);
  say(io, `${tier.name}: ${tier.prices.map((p) => `${money(p.price, tier.currency)}${p.zone ? ` (${p.zone})` : ''}`).join(', ')}`);
}

export async function runEventCancel(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: { refund?: boolean; reason?: string; dryRun?: boolean; yes?: boolean }) {
  const request = { refund: opts.refund, reason: opts.reason };
  const plan = await cancelEvent(ctx, ref, { ...request, dryRun: true });
  const describe = (r: CancellationResult) =>
    `${r.holdsReleased.length} hold(s) released, ${r.refunded.length} order(s) refunded${r.toRefund.length ? `, ${r.toRefund.length} paid order(s) left to refund` : ''}`;
  if (opts.dryRun) {
    if (global.json) return printJson(io, plan);
    return say(io, `Dry run: cancelling ${plan.event.name} would leave ${describe(plan)}; nothing changed`);
  }
  if (!(await confirmDestructive(io, `Cancel ${plan.event.name} (${localTime(plan.event.startsAt)})? ${describe(plan)}.`, opts.yes))) return say(io, 'Nothing cancelled.');
  const result = await cancelEvent(ctx, ref, request);
  if (global.json) return printJson(io, result);
  say(io, `Cancelled ${result.event.name}: ${describe(result)}`);
  if (result.toRefund.length) say(io, `Refund them with: boxoffice order list --event ${result.event.id} --status paid`);
}

export function registerEvent(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const event = program
    .command('event')
    .description('events, their prices, and putting them on sale')
    .addHelpText(
      'after',
      examples(
        'boxoffice event add Hamlet --venue "Riverside Theatre" --starts 2027-03-01T20:00',
        'boxoffice event price Hamlet --tier Adult --price 25.00',
        'boxoffice event publish Hamlet',
        'boxoffice event list --status on_sale',
      ),
    );

  event
    .command('add <name>')
    .description('add an event (as a draft: set prices, then publish)')
    .requiredOption('--venue <venue>', 'venue id or name')
    .requiredOption('--starts <time>', "start, in the venue's local time: 2027-03-01T20:00 (years 1970 to 9999)")
    .option('--ends <time>', 'end, local time')
    .option('--type <type>', 'category, e.g. theatre, music')
    .option('--currency <code>', 'ISO 4217 currency code, e.g. EUR, GBP, USD, JPY', 'EUR')
    .option('--order-limit <n>', 'most tickets in one order (default 10)')
    .addHelpText(
      'after',
      examples(
        'boxoffice event add Hamlet --venue "Riverside Theatre" --starts 2027-03-01T20:00 --type theatre',
        'boxoffice event add "Tokyo Gala" --venue "Main Hall" --starts 2027-05-01T19:00+09:00 --currency JPY',
      ),
    )
    .action(async (name: string, opts: { venue: string; starts: string; ends?: string; type?: string; currency: string; orderLimit?: string }, cmd: Command) =>
      withCore(deps, cmd, (session) => runEventAdd(io, session, name, opts)),
    );

  event
    .command('list')
    .description('list events, soonest first')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .option('--city <city>', 'only venues in this city')
    .option('--type <type>', 'only this type')
    .option('--from <date>', 'starting on or after (UTC), e.g. 2027-03-01')
    .option('--to <date>', 'starting before (UTC)')
    .option('--limit <n>', 'at most this many')
    .option('--page <n>', 'with --limit: which page, from 1')
    .addHelpText('after', examples('boxoffice event list', 'boxoffice event list --status on_sale --city Lisbon', 'boxoffice event list --from 2027-03-01 --to 2027-04-01 --json'))
    .action(async (opts: { status?: string; city?: string; type?: string; from?: string; to?: string; limit?: string; page?: string }, cmd: Command) =>
      withCore(deps, cmd, (session) => runEventList(io, session, opts)),
    );

  event
    .command('show <event>')
    .description('an event with its tiers and prices')
    .addHelpText('after', examples('boxoffice event show Hamlet', 'boxoffice event show 3 --json'))
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runEventShow(io, session, ref)));

  event
    .command('publish <event>')
    .description('put a draft event on sale (it needs a seat map and a price)')
    .addHelpText('after', examples('boxoffice event publish Hamlet'))
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runEventPublish(io, session, ref)));

  event
    .command('price <event>')
    .description("set a tier's price, for every zone or for one (creates the tier if new)")
    .requiredOption('--tier <name>', 'tier name, e.g. Adult, Child, Concession')
    .requiredOption('--price <amount>', 'price in major units, e.g. 25 or 25.00 (at most 10000000.00 in a currency with cents)')
    .option('--zone <zone>', 'only for seats in this zone')
    .addHelpText('after', examples('boxoffice event price Hamlet --tier Adult --price 25.00', 'boxoffice event price Hamlet --tier Adult --price 18 --zone Balcony'))
    .action(async (ref: string, opts: { tier: string; price: string; zone?: string }, cmd: Command) => withCore(deps, cmd, (session) => runEventPrice(io, session, ref, opts)));

  event
    .command('cancel <event>')
    .description('cancel an event (manager): sales stop, holds are released; --refund refunds every paid order')
    .option('--refund', 'refund every paid order to its original method')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--dry-run', 'show what would happen, change nothing')
    .option('--yes', 'do not ask for confirmation')
    .addHelpText('after', examples('boxoffice event cancel Hamlet --dry-run', 'boxoffice event cancel Hamlet --refund --reason "lead actor ill" --yes'))
    .action(async (ref: string, opts: { refund?: boolean; reason?: string; dryRun?: boolean; yes?: boolean }, cmd: Command) =>
      withCore(deps, cmd, (session) => runEventCancel(io, session, ref, opts)),
    );
}
