// `boxoffice report sales|cashup|zreports|leads`: for managers; tables on a TTY (with a chart),
// tab-separated when piped, JSON with --json.
import type { Command } from 'commander';
import { invalid } from '../../../core/errors.js';
import type { SalesReport } from '../../../core/reports/sales.js';
import type { CashupReport, ChainCheck, Drawer, ZReportView } from '../../../core/reports/cashup.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { paint, type IO } from '../../runtime/io.js';
import { displayWidth, oneLine, printFields, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { money, rawMoney } from '../../runtime/render.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A rate from 0 to 1 as people read it: 0.5 → `50.0%`. */
function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A horizontal bar chart of values (minor units) for people at a terminal. */
function barChart(io: IO, bars: { label: string; value: number; currency: string }[]): string[] {
  if (bars.length === 0) return [];
  const labels = bars.map((b) => oneLine(b.label));
  const labelWidth = Math.max(...labels.map(displayWidth));
  const amounts = bars.map((b) => money(b.value, b.currency));
  const amountWidth = Math.max(...amounts.map((a) => a.length));
  const room = Math.max(10, io.columns - labelWidth - amountWidth - 4);
  const max = Math.max(...bars.map((b) => Math.abs(b.value)), 1);
  return bars.map((b, i) => {
    const eighths = Math.round((Math.abs(b.value) / max) * room * 8);
    const bar = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
    return `${labels[i]}${' '.repeat(labelWidth - displayWidth(labels[i]))}  ${amounts[i].padStart(amountWidth)} ${paint(io, b.value < 0 ? 'red' : 'cyan', bar)}`;
  });
}

function printSales(io: IO, report: SalesReport): void {
  printTable(io, report.rows, [
    { header: 'day', value: (r) => r.day },
    { header: 'event', value: (r) => r.event },
    { header: 'tier', value: (r) => r.tier },
    { header: 'method', value: (r) => r.method },
    { header: 'operator', value: (r) => r.operator },
    { header: 'tickets', value: (r) => r.tickets, align: 'right' },
    { header: 'gross', value: (r) => money(r.gross, r.currency), raw: (r) => rawMoney(r.gross, r.currency), align: 'right' },
    { header: 'refunds', value: (r) => money(r.refunds, r.currency), raw: (r) => rawMoney(r.refunds, r.currency), align: 'right' },
    { header: 'net', value: (r) => money(r.net, r.currency), raw: (r) => rawMoney(r.net, r.currency), align: 'right' },
    { header: 'comps', value: (r) => r.comps, align: 'right' },
    { header: 'comp value', value: (r) => money(r.compValue, r.currency), raw: (r) => rawMoney(r.compValue, r.currency), align: 'right' },
    { header: 'currency', value: (r) => r.currency },
  ]);
  if (!io.isTTY) return;
  io.stdout.write('\n');
  for (const t of report.totals) {
    io.stdout.write(
      `${paint(io, 'bold', `Total ${t.currency}`)}: ${t.tickets} tickets, gross ${money(t.gross, t.currency)}, refunds ${money(t.refunds, t.currency)}, ` +
        `net ${paint(io, 'bold', money(t.net, t.currency))}; ${t.comps} comps (face value ${money(t.compValue, t.currency)})\n`,
    );
  }
  if (report.days.length) {
    io.stdout.write(`\n${paint(io, 'bold', 'Net per day')}\n`);
    const multi = new Set(report.days.map((d) => d.currency)).size > 1;
    for (const line of barChart(
      io,
      report.days.map((d) => ({ label: multi ? `${d.day} ${d.currency}` : d.day, value: d.net, currency: d.currency })),
    )) {
      io.stdout.write(`${line}\n`);
    }
  }
}

function printDrawers(io: IO, drawers: Drawer[]): void {
  // The count and the variance belong to the drawer as it is now: shown on its last day.
  const rows = drawers.flatMap((d) => d.days.map((day, i) => ({ d, day, last: i === d.days.length - 1 })));
  printTable(io, rows, [
    { header: 'operator', value: (r) => r.d.operator },
    { header: 'day', value: (r) => r.day.day },
    { header: 'opening', value: (r) => money(r.day.opening, r.d.currency), raw: (r) => rawMoney(r.day.opening, r.d.currency), align: 'right' },
    { header: 'cash taken', value: (r) => money(r.day.cashTaken, r.d.currency), raw: (r) => rawMoney(r.day.cashTaken, r.d.currency), align: 'right' },
    { header: 'change', value: (r) => money(r.day.changeGiven, r.d.currency), raw: (r) => rawMoney(r.day.changeGiven, r.d.currency), align: 'right' },
    { header: 'cash refunded', value: (r) => money(r.day.cashRefunded, r.d.currency), raw: (r) => rawMoney(r.day.cashRefunded, r.d.currency), align: 'right' },
    { header: 'card', value: (r) => money(r.day.card - r.day.cardRefunded, r.d.currency), raw: (r) => rawMoney(r.day.card - r.day.cardRefunded, r.d.currency), align: 'right' },
    { header: 'external', value: (r) => money(r.day.external - r.day.externalRefunded, r.d.currency), raw: (r) => rawMoney(r.day.external - r.day.externalRefunded, r.d.currency), align: 'right' },
    { header: 'comps', value: (r) => r.day.compTickets, align: 'right' },
    { header: 'comp value', value: (r) => money(r.day.compValue, r.d.currency), raw: (r) => rawMoney(r.day.compValue, r.d.currency), align: 'right' },
    { header: 'expected cash', value: (r) => money(r.day.expected, r.d.currency), raw: (r) => rawMoney(r.day.expected, r.d.currency), align: 'right' },
    {
      header: 'counted',
      value: (r) => (r.last && r.d.counted !== null ? money(r.d.counted, r.d.currency) : ''),
      raw: (r) => (r.last && r.d.counted !== null ? rawMoney(r.d.counted, r.d.currency) : ''),
      align: 'right',
    },
    {
      header: 'variance',
      value: (r) => (r.last && r.d.variance !== null ? money(r.d.variance, r.d.currency) : ''),
      raw: (r) => (r.last && r.d.variance !== null ? rawMoney(r.d.variance, r.d.currency) : ''),
      align: 'right',
    },
    { header: 'currency', value: (r) => r.d.currency },
  ]);
}

function drawerSummary(io: IO, d: Drawer): string {
  const variance =
    d.variance === null ? paint(io, 'dim', 'not counted yet (--counted 412.50)') : paint(io, d.variance === 0 ? 'green' : 'red', `${d.variance > 0 ? '+' : ''}${money(d.variance, d.currency)}`);
  return `${oneLine(d.operator)} ${d.currency}: float ${money(d.float, d.currency)}, expected in the drawer ${paint(io, 'bold', money(d.expected, d.currency))}, counted ${d.counted === null ? '—' : money(d.counted, d.currency)}, variance ${variance}`;
}

function printZ(io: IO, z: ZReportView): void {
  printFields(io, [
    ['Z report', z.number, 'bold'],
    ['operator', z.operator],
    ['period', `${z.periodStart ?? 'the beginning'} → ${z.periodEnd}`],
    ['closed by', z.closedBy],
    ['hash', z.hash],
  ]);
  io.stdout.write('\n');
  printDrawers(io, z.drawers);
  for (const d of z.drawers) io.stdout.write(`${drawerSummary(io, d)}\n`);
}

function printCashup(io: IO, report: CashupReport): void {
  if (report.closed) return printZ(io, report.closed);
  const drawers = report.periods.flatMap((p) => p.drawers);
  if (!io.isTTY) return printDrawers(io, drawers);
  if (drawers.length === 0) {
    say(io, 'No open drawers: nothing taken since the last Z reports.');
    return;
  }
  printDrawers(io, drawers);
  io.stdout.write('\n');
  for (const p of report.periods) {
    for (const d of p.drawers) io.stdout.write(`${drawerSummary(io, d)}\n`);
  }
  say(io, 'Close a drawer with: boxoffice report cashup --operator NAME --counted 412.50 --close');
}

function chainLine(io: IO, chain: ChainCheck): string {
  return chain.ok
    ? `${paint(io, 'green', 'Z report chain intact')}: ${chain.reports} reports${chain.reports ? `, last hash ${chain.head.slice(0, 16)}…` : ''}`
    : `${paint(io, 'red', 'Z report chain BROKEN')}: ${oneLine(chain.problems.map((p) => p.message).join('; '))}`;
}

export async function runReportSales(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { event?: string; from?: string; to?: string; operator?: string }) {
  const { salesReport } = await import('../../../core/reports/sales.js');
  const result = await salesReport(ctx, opts);
  if (global.json) return printJson(io, result);
  printSales(io, result);
}

export async function runReportCashup(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { operator?: string; currency?: string; float?: string; counted?: string; close?: boolean }) {
  const { cashup, chainBroken } = await import('../../../core/reports/cashup.js');
  const result = await cashup(ctx, opts);
  if (global.json) printJson(io, result);
  else {
    printCashup(io, result);
    if (result.closed) say(io, `Closed Z report ${result.closed.number} for ${result.closed.operator}.`);
  }
  if (!result.chain.ok) throw chainBroken(result.chain);
}

export async function runReportZreports(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { number?: string; operator?: string; verify?: boolean }) {
  const { zReports, chainBroken } = await import('../../../core/reports/cashup.js');
  if (opts.number !== undefined && !/^\d+$/.test(opts.number)) throw invalid(`--number must be a Z report number, not ${JSON.stringify(opts.number)}`);
  const { reports, chain } = await zReports(ctx, { number: opts.number !== undefined ? Number(opts.number) : undefined, operator: opts.operator });
  if (opts.verify) {
    if (global.json) printJson(io, chain);
    else say(io, chainLine(io, chain));
  } else if (global.json) {
    printJson(io, opts.number !== undefined ? reports[0] : reports);
  } else if (opts.number !== undefined) {
    printZ(io, reports[0]);
  } else {
    const rows = reports.flatMap((z) => (z.drawers.length ? z.drawers.map((d) => ({ z, d })) : [{ z, d: undefined as Drawer | undefined }]));
    printTable(io, rows, [
      { header: 'number', value: (r) => r.z.number, align: 'right' },
      { header: 'operator', value: (r) => r.z.operator },
      { header: 'from', value: (r) => r.z.periodStart?.slice(0, 16).replace('T', ' ') ?? '', raw: (r) => r.z.periodStart },
      { header: 'to', value: (r) => r.z.periodEnd.slice(0, 16).replace('T', ' '), raw: (r) => r.z.periodEnd },
      { header: 'currency', value: (r) => r.d?.currency },
      { header: 'expected', value: (r) => (r.d ? money(r.d.expected, r.d.currency) : ''), raw: (r) => (r.d ? rawMoney(r.d.expected, r.d.currency) : ''), align: 'right' },
      {
        header: 'counted',
        value: (r) => (r.d?.counted != null ? money(r.d.counted, r.d.currency) : ''),
        raw: (r) => (r.d?.counted != null ? rawMoney(r.d.counted, r.d.currency) : ''),
        align: 'right',
      },
      {
        header: 'variance',
        value: (r) => (r.d?.variance != null ? money(r.d.variance, r.d.currency) : ''),
        raw: (r) => (r.d?.variance != null ? rawMoney(r.d.variance, r.d.currency) : ''),
        align: 'right',
      },
      { header: 'hash', value: (r) => `${r.z.hash.slice(0, 12)}…`, raw: (r) => r.z.hash },
    ]);
    if (io.isTTY || !chain.ok) say(io, chainLine(io, chain));
  }
  if (!chain.ok) throw chainBroken(chain);
}

export async function runReportLeads(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, opts: { event?: string }) {
  const { leadsReport } = await import('../../../core/reports/leads.js');
  const rows = await leadsReport(ctx, opts);
  if (global.json) return printJson(io, rows);
  printTable(io, rows, [
    { header: 'source', value: (r) => r.source },
    { header: 'leads', value: (r) => r.leads, align: 'right' },
    { header: 'converted', value: (r) => r.converted, align: 'right' },
    // People read a percentage, at a terminal or piped into a file or a pager; --json keeps the 0–1 number.
    { header: 'conversion', value: (r) => percent(r.conversionRate), align: 'right' },
  ]);
}

export function registerReport(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const report = program
    .command('report')
    .description('reports for managers: sales, the cash-up and Z reports, leads')
    .addHelpText('after', examples('boxoffice report sales', 'boxoffice report cashup --float 100 --counted 412.50 --close', 'boxoffice report leads --json'));

  report
    .command('sales')
    .description('tickets, gross, refunds and net per event, tier, payment method, operator and day')
    .option('--event <event>', 'only this event')
    .option('--from <day>', 'from this day (YYYY-MM-DD, venue time)')
    .option('--to <day>', 'to this day, inclusive')
    .option('--operator <name>', 'only sales and refunds by this operator')
    .addHelpText(
      'after',
      `${examples('boxoffice report sales', 'boxoffice report sales --event Hamlet --from 2027-03-01 --to 2027-03-07', 'boxoffice report sales --json | jq .totals')}
Net = gross − refunds, and adds up to the payments minus the refunds. Comps take no money: they are
counted apart (comps, comp value). Days are the venue's local days.
`,
    )
    .action(async (opts: { event?: string; from?: string; to?: string; operator?: string }, cmd: Command) => withCore(deps, cmd, (session) => runReportSales(io, session, opts)));

  report
    .command('cashup')
    .description("each operator's drawer since their last Z report; record the float and the count, and close with a Z report")
    .option('--operator <name>', 'whose drawer (default: all open drawers to show; yourself to record or close)')
    .option('--currency <code>', 'the drawer currency, when an operator took several')
    .option('--float <amount>', 'record the opening float, e.g. 100.00')
    .option('--counted <amount>', 'record the cash counted in the drawer, e.g. 412.50')
    .option('--close', 'close the period: a numbered, final Z report, hash-chained to the one before')
    .addHelpText(
      'after',
      `${examples(
        'boxoffice report cashup                                 # every open drawer',
        'boxoffice report cashup --operator Ana --float 100.00   # start of the shift',
        'boxoffice report cashup --operator Ana --counted 412.50 # the count: shows the variance',
        'boxoffice report cashup --operator Ana --close          # the Z report',
      )}
Expected cash = float + cash taken − change given − cash refunded. A closed Z report cannot change;
every run checks the chain, and exits 4 if a report was edited behind the tool's back.
`,
    )
    .action(async (opts: { operator?: string; currency?: string; float?: string; counted?: string; close?: boolean }, cmd: Command) =>
      withCore(deps, cmd, (session) => runReportCashup(io, session, opts)),
    );

  report
    .command('zreports')
    .description('the closed Z reports, with the hash chain verified')
    .option('--number <n>', 'show this Z report')
    .option('--operator <name>', "only this operator's")
    .option('--verify', 'only check the chain: exit 0 if intact, 4 if a report was changed or removed')
    .addHelpText('after', examples('boxoffice report zreports', 'boxoffice report zreports --number 12', 'boxoffice report zreports --verify && echo intact'))
    .action(async (opts: { number?: string; operator?: string; verify?: boolean }, cmd: Command) => withCore(deps, cmd, (session) => runReportZreports(io, session, opts)));

  report
    .command('leads')
    .description('per source: leads, how many converted (paid for an order), and the conversion rate')
    .option('--event <event>', 'only leads interested in this event')
    .addHelpText('after', examples('boxoffice report leads', 'boxoffice report leads --event Hamlet --json'))
    .action(async (opts: { event?: string }, cmd: Command) => withCore(deps, cmd, (session) => runReportLeads(io, session, opts)));
}
