// The cash-up: each operator's drawer since their last Z report, per day and currency (opening
// float, cash taken, change given, cash refunded, card, external and comp totals, the cash that
// should be in the drawer), the cash counted and the variance. Closing the period writes a
// numbered Z report that never changes again, chained by SHA-256 to the one before, so an edit
// made behind the tool's back (sqlite3 on the file) is detected.
import { sql } from '../../db/kysely.js';
import { foldKey } from '../../db/fold.js';
import { dialectOf } from '../../db/dialect.js';
import type { Queryable, Trx } from '../../db/transaction.js';
import { isUniqueViolation, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { BoxofficeError, invalid, notFound } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { parseMoney, normaliseCurrency } from '../money.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { lockDrawer } from '../outbox/backdating.js';
import { requireRole } from '../staff/permissions.js';
import { valueInvalid } from '../time.js';
import { canonicalJson, loadPayments, loadTickets, localDay, sha256, soldTickets, type LedgerPayment } from './common.js';

/** The hash before the first Z report. */
const GENESIS_HASH = '0'.repeat(64);

export interface DrawerDay {
  day: string;
  /** Cash in the drawer when the day began: the float, or the previous day's expected cash. */
  opening: number;
  cashTaken: number;
  changeGiven: number;
  cashRefunded: number;
  card: number;
  cardRefunded: number;
  external: number;
  externalRefunded: number;
  compTickets: number;
  compValue: number;
  /** opening + cash taken − change given − cash refunded. */
  expected: number;
}

export interface Drawer {
  operator: string;
  currency: string;
  float: number;
  counted: number | null;
  expected: number;
  variance: number | null;
  payments: number;
  days: DrawerDay[];
}

export interface OpenPeriod {
  operator: string;
  /** The end of the operator's last Z report (exclusive), or null: since the beginning. */
  periodStart: string | null;
  periodEnd: string;
  drawers: Drawer[];
}

export interface ZReportView {
  /** The Z number: what `report zreports --number` takes. */
  id: number;
  number: number;
  operator: string;
  periodStart: string | null;
  periodEnd: string;
  closedBy: string;
  drawers: Drawer[];
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  reports: number;
  head: string;
  problems: { number: number; message: string }[];
}

export interface CashupReport {
  at: string;
  periods: OpenPeriod[];
  /** The Z report this run closed, if it closed one. */
  closed: ZReportView | null;
  chain: ChainCheck;
}

export interface CashupRequest {
  /** Whose drawer: a staff name; defaults to the acting operator for --float, --counted and --close. */
  operator?: string;
  currency?: string;
  /** Opening float, major units. */
  float?: string;
  /** Cash counted in the drawer, major units. */
  counted?: string;
  close?: boolean;
}

interface Counts {
  float: number;
  counted: number | null;
}

/** The drawer figures of `payments`, per currency, with its floats and counts. */
async function drawers(db: Queryable, operator: string, payments: LedgerPayment[], counts: Map<string, Counts>): Promise<Drawer[]> {
  const tickets = await loadTickets(
    db,
    payments.filter((p) => p.method === 'comp').map((p) => p.orderId),
  );
  const byCurrency = new Map<string, Map<string, DrawerDay>>();
  const paymentsIn = new Map<string, number>();
  const dayOf = (currency: string, day: string): DrawerDay => {
    let days = byCurrency.get(currency);
    if (!days) byCurrency.set(currency, (days = new Map()));
    let d = days.get(day);
    if (!d) {
      d = { day, opening: 0, cashTaken: 0, changeGiven: 0, cashRefunded: 0, card: 0, cardRefunded: 0, external: 0, externalRefunded: 0, compTickets: 0, compValue: 0, expected: 0 };
      days.set(day, d);
    }
    return d;
  };
  for (const p of payments) {
    const d = dayOf(p.currency, localDay(p.createdAt, p.timezone));
    paymentsIn.set(p.currency, (paymentsIn.get(p.currency) ?? 0) + 1);
    const refund = p.kind === 'refund';
    if (p.method === 'cash') {
      if (refund) d.cashRefunded += p.amount;
      else {
        d.cashTaken += p.tendered ?? p.amount;
        d.changeGiven += p.change ?? 0;
      }
    } else if (p.method === 'card') {
      if (refund) d.cardRefunded += p.amount;
      else d.card += p.amount;
    } else if (p.method === 'external') {
      if (refund) d.externalRefunded += p.amount;
      else d.external += p.amount;
    } else if (!refund) {
      for (const t of soldTickets(tickets.get(p.orderId))) {
        d.compTickets++;
        d.compValue += t.price;
      }
    }
  }
  for (const currency of counts.keys()) if (!byCurrency.has(currency)) byCurrency.set(currency, new Map());
  const out: Drawer[] = [];
  for (const [currency, days] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const c = counts.get(currency) ?? { float: 0, counted: null };
    let cash = c.float;
    const list = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
    for (const d of list) {
      d.opening = cash;
      d.expected = cash + d.cashTaken - d.changeGiven - d.cashRefunded;
      cash = d.expected;
    }
    out.push({
      operator,
      currency,
      float: c.float,
      counted: c.counted,
      expected: cash,
      variance: c.counted === null ? null : c.counted - cash,
      payments: paymentsIn.get(currency) ?? 0,
      days: list,
    });
  }
  return out;
}

async function lastZ(db: Queryable, operator: string) {
  return db.selectFrom('z_reports').selectAll().where('operator_name', '=', operator).orderBy('number', 'desc').limit(1).executeTakeFirst();
}

async function openCounts(db: Queryable, operator: string): Promise<Map<string, Counts>> {
  const rows = await db.selectFrom('cash_counts').selectAll().where('operator_name', '=', operator).where('z_number', 'is', null).execute();
  return new Map(rows.map((r) => [r.currency, { float: r.float, counted: r.counted }]));
}

async function openPeriod(db: Queryable, operator: string, now: string): Promise<OpenPeriod> {
  const periodStart = (await lastZ(db, operator))?.period_end ?? null;
  const payments = await loadPayments(db, { operator, after: periodStart, until: now });
  return { operator, periodStart, periodEnd: now, drawers: await drawers(db, operator, payments, await openCounts(db, operator)) };
}

/** Operators with something in an open period: payments since their last Z, or a float or count. */
async function openOperators(db: Queryable): Promise<string[]> {
  // A UNION orders only by its output columns, so the ordering (by bytes, as on SQLite) goes around it.
  const rows = await sql<{ operator: string }>`
    select operator from (
      select distinct p.operator_name as operator from payments p
      where p.created_at > coalesce((select max(z.period_end) from z_reports z where z.operator_name = p.operator_name), '')
      union select operator_name from cash_counts where z_number is null) as open_periods
    order by ${dialectOf(db).byBytes(sql`operator`)}`.execute(db);
  return rows.rows.map((r) => r.operator);
}

/** A staff name (any case) or a name payments were taken under; the canonical spelling. */
async function resolveOperator(db: Queryable, input: string): Promise<string> {
  const name = input.trim();
  const staff = await db.selectFrom('staff').select('name').where('name_key', '=', foldKey(name)).executeTakeFirst();
  if (staff) return staff.name;
  // payments.operator_name has no key column: folded in SQL by the same rule (SqlDialect.fold).
  const paid = await db
    .selectFrom('payments')
    .select('operator_name')
    .where(dialectOf(db).fold(sql.ref('operator_name')), '=', foldKey(name))
    .limit(1)
    .executeTakeFirst();
  if (paid) return paid.operator_name;
  throw notFound(`no operator ${JSON.stringify(name)}`, 'operators are staff names').because('operator_unknown', { name });
}

/** `input` as an amount of `currency` for the drawer's `field`, refused as a value of that field. */
function amountFor(input: string, currency: string, field: 'float' | 'counted'): number {
  try {
    return parseMoney(input, currency, field);
  } catch (err) {
    if (err instanceof BoxofficeError && err.message.startsWith(`${field} `)) throw valueInvalid(field, err.message.slice(field.length + 1));
    throw err;
  }
}

async function chooseCurrency(trx: Trx, operator: string, given: string | undefined, period: OpenPeriod): Promise<string> {
  if (given !== undefined) return normaliseCurrency(given);
  const candidates = period.drawers.map((d) => d.currency);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) throw invalid(`${operator}'s drawer holds ${candidates.join(' and ')}: say which currency`).because('drawer_currency_not_chosen', { operator, currencies: candidates });
  const recent = await trx.selectFrom('events').select('currency').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return recent?.currency ?? 'EUR';
}

function zView(row: { number: number; operator_name: string; period_start: string | null; period_end: string; closed_by: string; body: string; prev_hash: string; hash: string }): ZReportView {
  const body = JSON.parse(row.body) as { drawers: Drawer[] };
  return {
    id: row.number,
    number: row.number,
    operator: row.operator_name,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    closedBy: row.closed_by,
    drawers: body.drawers,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The hash of a Z report: every column and the figures, after the previous report's hash. */
export function zHash(z: { number: number; operator: string; periodStart: string | null; periodEnd: string; closedBy: string; prevHash: string; body: unknown }): string {
  return sha256(canonicalJson({ v: 1, number: z.number, operator: z.operator, periodStart: z.periodStart, periodEnd: z.periodEnd, closedBy: z.closedBy, prevHash: z.prevHash, body: z.body }));
}

/** What the ledger says a closed period's money was: compared with the report's own figures. */
function ledgerFigures(ds: Drawer[]) {
  return ds.map((d) => ({
    currency: d.currency,
    payments: d.payments,
    cash: d.days.map((x) => [x.day, x.cashTaken, x.changeGiven, x.cashRefunded, x.card, x.cardRefunded, x.external, x.externalRefunded, x.compTickets]),
  }));
}

/**
 * Checks every Z report: numbers without gaps, each hash over its own contents, each linked to
 * the one before, the figures still those of the payments they cover, and the hashes those the
 * event feed recorded when each was closed (so a deleted or re-chained report shows too).
 */
export async function verifyZChain(db: Queryable): Promise<ChainCheck> {
  const rows = await db.selectFrom('z_reports').selectAll().orderBy('number').execute();
  const problems: ChainCheck['problems'] = [];
  let prev = GENESIS_HASH;
  let expectNumber = 1;
  for (const row of rows) {
    const n = row.number;
    if (n !== expectNumber) problems.push({ number: expectNumber, message: `Z report ${expectNumber} is missing` });
    expectNumber = n + 1;
    if (row.prev_hash !== prev) problems.push({ number: n, message: `Z report ${n} does not follow on from the report before it (its previous hash differs)` });
    let body: { drawers: Drawer[] } | undefined;
    try {
      body = JSON.parse(row.body) as { drawers: Drawer[] };
    } catch {
      problems.push({ number: n, message: `Z report ${n}'s figures are not readable` });
    }
    if (body) {
      const hash = zHash({ number: n, operator: row.operator_name, periodStart: row.period_start, periodEnd: row.period_end, closedBy: row.closed_by, prevHash: row.prev_hash, body });
      if (hash !== row.hash) problems.push({ number: n, message: `Z report ${n} was changed after it was closed (its contents no longer match its hash)` });
      const payments = await loadPayments(db, { operator: row.operator_name, after: row.period_start, until: row.period_end });
      const counts = new Map(body.drawers.map((d) => [d.currency, { float: d.float, counted: d.counted }]));
      const now = await drawers(db, row.operator_name, payments, counts);
      if (canonicalJson(ledgerFigures(now)) !== canonicalJson(ledgerFigures(body.drawers))) {
        problems.push({ number: n, message: `the payments of Z report ${n}'s period no longer add up to its figures (a payment was changed or removed)` });
      }
    }
    prev = row.hash;
  }
  const recorded = await db.selectFrom('outbox').select('data').where('type', '=', 'cashup.closed').orderBy('seq').execute();
  for (const e of recorded) {
    const data = JSON.parse(e.data) as { number: number; hash: string };
    const row = rows.find((r) => r.number === data.number);
    if (!row) problems.push({ number: data.number, message: `Z report ${data.number} was closed but is no longer in the database` });
    else if (row.hash !== data.hash) problems.push({ number: data.number, message: `Z report ${data.number}'s hash is not the one recorded when it was closed` });
  }
  problems.sort((a, b) => a.number - b.number);
  return { ok: problems.length === 0, reports: rows.length, head: prev, problems };
}

export function chainBroken(check: ChainCheck): BoxofficeError {
  return new BoxofficeError(
    'zreport_chain_broken',
    `the Z report chain is broken: ${check.problems.map((p) => p.message).join('; ')}`,
    "the database was edited behind the tool's back: restore it from a backup, and keep this file for the audit",
    { problems: check.problems },
  );
}

/** Shows open drawers; with --float, --counted or --close, records them first (one transaction). */
export async function cashup(ctx: CoreContext, request: CashupRequest = {}): Promise<CashupReport> {
  requireRole(ctx.actor, 'reports');
  const writes = request.float !== undefined || request.counted !== undefined || request.close;
  if (!writes) {
    const at = nowIso(ctx);
    const operators = request.operator !== undefined ? [await resolveOperator(ctx.db, request.operator)] : await openOperators(ctx.db);
    const periods = [];
    for (const op of operators) periods.push(await openPeriod(ctx.db, op, at));
    return { at, periods, closed: null, chain: await verifyZChain(ctx.db) };
  }
  return writeTransaction(ctx.db, async (trx) => {
    const operator = request.operator !== undefined ? await resolveOperator(trx, request.operator) : ctx.actor.name;
    // Before anything the drawer is made of is read, and before the time is: the operator's
    // changes under way commit first (and are counted), later ones wait and are dated after this
    // (src/core/outbox/backdating.ts). It also makes this the only cash-up write: the Z number and
    // previous hash read below stay the last ones, and the open count row below cannot be
    // inserted twice. On SQLite the single writer already does all of this.
    await lockDrawer(trx, operator);
    const at = nowIso(ctx);
    const events: DomainEvent[] = [];
    let period = await openPeriod(trx, operator, at);
    const currency = await chooseCurrency(trx, operator, request.currency, period);
    const setCount = async (field: 'float' | 'counted', amount: number) => {
      const values = field === 'float' ? { float: amount, float_at: at } : { counted: amount, counted_at: at };
      const open = await trx.selectFrom('cash_counts').select('id').where('operator_name', '=', operator).where('currency', '=', currency).where('z_number', 'is', null).executeTakeFirst();
      if (open)
        await trx
          .updateTable('cash_counts')
          .set({ ...values, recorded_by: ctx.actor.name })
          .where('id', '=', open.id)
          .execute();
      else {
        try {
          await trx
            .insertInto('cash_counts')
            .values({
              operator_name: operator,
              operator_name_key: foldKey(operator),
              currency,
              float: 0,
              counted: null,
              float_at: null,
              counted_at: null,
              recorded_by: ctx.actor.name,
              z_number: null,
              ...values,
            })
            .execute();
        } catch (err) {
          // The drawer lock (above) keeps a second open count from being inserted; should one
          // still be there (cash_counts_open, one open row per drawer and currency), the
          // transaction runs again and updates it.
          if (isUniqueViolation(err, trx))
            throw new TransactionConflict(
              new BoxofficeError('invalid_state', `${operator}'s ${currency} drawer was counted by another terminal at the same time`, 'look at the drawers again').because(
                'drawer_counted_elsewhere',
                {},
              ),
            );
          throw err;
        }
      }
    };
    if (request.float !== undefined) {
      const amount = amountFor(request.float, currency, 'float');
      await setCount('float', amount);
      events.push({ type: 'cashup.float_set', subject: `drawer/${operator}`, data: { operator, currency, float: amount } });
    }
    if (request.counted !== undefined) {
      const amount = amountFor(request.counted, currency, 'counted');
      await setCount('counted', amount);
      period = await openPeriod(trx, operator, at);
      const d = period.drawers.find((x) => x.currency === currency)!;
      events.push({ type: 'cashup.counted', subject: `drawer/${operator}`, data: { operator, currency, counted: amount, expected: d.expected, variance: amount - d.expected } });
    }
    period = await openPeriod(trx, operator, at);
    let closed: ZReportView | null = null;
    if (request.close) {
      const chain = await verifyZChain(trx);
      if (!chain.ok) throw chainBroken(chain);
      if (period.drawers.length === 0) throw new BoxofficeError('invalid_state', `${operator} has nothing to close: no payments, float or count since the last Z report`);
      const uncounted = period.drawers.filter((d) => d.counted === null && (d.float > 0 || d.days.some((x) => x.cashTaken || x.cashRefunded)));
      if (uncounted.length) {
        const currencies = uncounted.map((d) => d.currency);
        throw invalid(`count the cash first: ${currencies.join(', ')} drawer of ${operator} has no count`, 'count what is in the drawer').because('drawer_not_counted', { operator, currencies });
      }
      const last = await trx.selectFrom('z_reports').select(['number', 'hash']).orderBy('number', 'desc').limit(1).executeTakeFirst();
      const number = (last?.number ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const body = { drawers: period.drawers };
      const hash = zHash({ number, operator, periodStart: period.periodStart, periodEnd: at, closedBy: ctx.actor.name, prevHash, body });
      const row = { number, operator_name: operator, period_start: period.periodStart, period_end: at, closed_by: ctx.actor.name, body: canonicalJson(body), prev_hash: prevHash, hash };
      await trx
        .insertInto('z_reports')
        .values({ ...row, operator_name_key: foldKey(operator) })
        .execute();
      await trx.updateTable('cash_counts').set({ z_number: number }).where('operator_name', '=', operator).where('z_number', 'is', null).execute();
      closed = zView(row);
      events.push({
        type: 'cashup.closed',
        subject: `zreport/${number}`,
        data: {
          number,
          operator,
          periodStart: period.periodStart,
          periodEnd: at,
          hash,
          prevHash,
          drawers: period.drawers.map((d) => ({ currency: d.currency, float: d.float, expected: d.expected, counted: d.counted, variance: d.variance })),
        },
      });
    }
    await recordEvents(trx, ctx, events);
    const periods = closed ? [] : [period];
    return { at, periods, closed, chain: await verifyZChain(trx) };
  });
}

/** The Z reports, oldest first (or one), with the chain checked. */
export async function zReports(ctx: CoreContext, filter: { number?: number; operator?: string } = {}): Promise<{ reports: ZReportView[]; chain: ChainCheck }> {
  requireRole(ctx.actor, 'reports');
  let q = ctx.db.selectFrom('z_reports').selectAll().orderBy('number');
  if (filter.number !== undefined) q = q.where('number', '=', filter.number);
  if (filter.operator !== undefined) q = q.where('operator_name', '=', await resolveOperator(ctx.db, filter.operator));
  const rows = await q.execute();
  if (filter.number !== undefined && rows.length === 0) throw notFound(`no Z report ${filter.number}`, 'list the Z reports there are').because('zreport_unknown', { number: filter.number });
  const reports: ZReportView[] = [];
  for (const r of rows) {
    try {
      reports.push(zView(r));
    } catch {
      reports.push({
        id: r.number,
        number: r.number,
        operator: r.operator_name,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        closedBy: r.closed_by,
        drawers: [],
        prevHash: r.prev_hash,
        hash: r.hash,
      });
    }
  }
  return { reports, chain: await verifyZChain(ctx.db) };
}
