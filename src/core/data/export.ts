// `boxoffice export`: orders, tickets, customers, leads and the sales ledger, streamed row by row
// from the database to CSV (snake_case headers) or JSON (camelCase keys, as every `--json`). CSV
// cells that a spreadsheet would run as a formula are escaped (OWASP "CSV injection": a leading
// = + - @ tab or CR gets a single quote in front).
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { invalid } from '../errors.js';
import type { CoreContext } from '../context.js';
import { formatMajor } from '../money.js';
import { requireRole } from '../staff/permissions.js';
import { findEvent } from '../events/events.js';
import { ticketQuery, ticketSeat } from '../tickets/query.js';
import { customerQuery } from '../customers/customers.js';
import { paymentQuery } from '../orders/payment-query.js';

export const EXPORT_KINDS = ['orders', 'tickets', 'customers', 'leads', 'sales'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'csv' | 'json';

type Cell = string | number | boolean | null;
type Record_ = Record<string, Cell>;

interface Column {
  name: string;
  /** Minor units: CSV shows them in major units of the row's `currency`; JSON keeps the integer. */
  money?: boolean;
}

interface ExportSpec {
  columns: Column[];
  /** Read with the operator's context: exportData checked their role for the kind. */
  rows(ctx: CoreContext, filter: { eventId?: number }): AsyncIterable<Record_>;
}

const col = (name: string, money = false): Column => ({ name, money });

const specs: Record<ExportKind, ExportSpec> = {
  orders: {
    columns: [
      col('id'),
      col('code'),
      col('status'),
      col('event_id'),
      col('event'),
      col('tickets'),
      col('total', true),
      col('paid', true),
      col('refunded', true),
      col('currency'),
      col('customer_email'),
      col('customer_name'),
      col('holder_name'),
      col('operator'),
      col('channel'),
      col('created_at'),
      col('paid_at'),
    ],
    rows({ db }, { eventId }) {
      let q = db
        .selectFrom('orders')
        .innerJoin('events', 'events.id', 'orders.event_id')
        .leftJoin('customers', 'customers.id', 'orders.customer_id')
        .select((eb) => [
          'orders.code as id',
          'orders.code',
          'orders.status',
          'orders.event_id',
          'events.name as event',
          eb
            .selectFrom('tickets')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('tickets.order_id', '=', 'orders.id')
            .where('tickets.replaces_id', 'is', null)
            .as('tickets'),
          'orders.total',
          eb
            .selectFrom('payments')
            .select((e) => e.fn.coalesce(e.fn.sum<number>('amount'), e.lit(0)).as('s'))
            .whereRef('payments.order_id', '=', 'orders.id')
            .where('kind', '=', 'payment')
            .as('paid'),
          eb
            .selectFrom('payments')
            .select((e) => e.fn.coalesce(e.fn.sum<number>('amount'), e.lit(0)).as('s'))
            .whereRef('payments.order_id', '=', 'orders.id')
            .where('kind', '=', 'refund')
            .as('refunded'),
          'orders.currency',
          'customers.email as customer_email',
          'customers.name as customer_name',
          'orders.holder_name',
          'orders.operator_name as operator',
          'orders.channel',
          'orders.created_at',
          'orders.paid_at',
        ])
        .orderBy('orders.id');
      if (eventId !== undefined) q = q.where('orders.event_id', '=', eventId);
      return q.stream(500) as AsyncIterable<Record_>;
    },
  },
  tickets: {
    columns: [
      col('id'),
      col('code'),
      col('status'),
      col('order'),
      col('event_id'),
      col('event'),
      col('section'),
      col('row'),
      col('number'),
      col('seat'),
      col('tier'),
      col('price', true),
      col('currency'),
      col('holder_name'),
      col('customer_email'),
      col('issued_at'),
      col('voided_at'),
      col('checked_in_at'),
      col('gate'),
    ],
    rows({ db }, { eventId }) {
      // Held seats are not tickets yet: they have no code until the order is paid.
      let q = ticketQuery(db).where('tickets.status', '!=', 'held').orderBy('tickets.id');
      if (eventId !== undefined) q = q.where('tickets.event_id', '=', eventId);
      return mapRows(q.stream(500), (r) => ({
        id: r.code,
        code: r.code,
        status: r.status,
        order: r.order_code,
        event_id: r.event_id,
        event: r.event_name,
        section: r.section,
        row: r.row_label,
        number: r.number,
        // The reference `--seats` accepts, qualified so it is never ambiguous.
        seat: ticketSeat(r, true),
        tier: r.tier,
        price: r.price,
        currency: r.currency,
        holder_name: r.holder_name,
        customer_email: r.customer_email,
        issued_at: r.issued_at,
        voided_at: r.voided_at,
        checked_in_at: r.scanned_at,
        gate: r.gate,
      }));
    },
  },
  customers: {
    columns: [col('id'), col('email'), col('name'), col('phone'), col('orders'), col('created_at')],
    rows(ctx) {
      return customerQuery(ctx).orderBy('customers.id').stream(500) as AsyncIterable<Record_>;
    },
  },
  leads: {
    columns: [col('id'), col('external_id'), col('email'), col('name'), col('source'), col('event_id'), col('event'), col('consent'), col('created_at'), col('converted_order'), col('converted_at')],
    rows({ db }, { eventId }) {
      let q = db
        .selectFrom('leads')
        .leftJoin('events', 'events.id', 'leads.event_id')
        .leftJoin('orders', 'orders.id', 'leads.converted_order_id')
        .select([
          'leads.id',
          'leads.external_id',
          'leads.email',
          'leads.name',
          'leads.source',
          'leads.event_id',
          'events.name as event',
          'leads.consent',
          'leads.created_at',
          'orders.code as converted_order',
          'leads.converted_at',
        ])
        .orderBy('leads.id');
      if (eventId !== undefined) q = q.where('leads.event_id', '=', eventId);
      return mapRows(q.stream(500) as AsyncIterable<Record_>, (r) => ({ ...r, consent: r.consent === 1 }));
    },
  },
  sales: {
    columns: [
      col('id'),
      col('kind'),
      col('order'),
      col('event_id'),
      col('event'),
      col('method'),
      col('amount', true),
      col('currency'),
      col('tendered', true),
      col('change', true),
      col('reference'),
      col('reason'),
      col('operator'),
      col('created_at'),
    ],
    rows({ db }, { eventId }) {
      let q = paymentQuery(db).orderBy('payments.id');
      if (eventId !== undefined) q = q.where('orders.event_id', '=', eventId);
      return mapRows(q.stream(500), (p) => ({
        id: p.id,
        kind: p.kind,
        order: p.order_code,
        event_id: p.event_id,
        event: p.event_name,
        method: p.method,
        amount: p.amount,
        currency: p.currency,
        tendered: p.tendered,
        change: p.change_given,
        reference: p.reference,
        reason: p.reason,
        operator: p.operator_name,
        created_at: p.created_at,
      }));
    },
  },
};

async function* mapRows<R>(rows: AsyncIterable<R>, f: (r: R) => Record_): AsyncIterable<Record_> {
  for await (const r of rows) yield f(r);
}

/** The columns of an export, in order, as the CSV header names them (snake_case, like piped tables). */
export function exportColumns(kind: ExportKind): string[] {
  return specs[kind].columns.map((c) => c.name);
}

/** A CSV column's JSON key: camelCase, as every other `--json` of the CLI (`event_id` → `eventId`). */
export function jsonKey(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Writes and waits when the reader is slower than the database. */
function write(out: Writable, text: string): Promise<void> | void {
  if (out.write(text)) return;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', done);
      out.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

export interface ExportOptions {
  kind: string;
  format?: ExportFormat;
  /** Only this event's orders, tickets, leads or sales. */
  event?: string;
}

/** Streams an export to `out`; returns how many rows it wrote. */
export async function exportData(ctx: CoreContext, options: ExportOptions, out: Writable): Promise<{ kind: ExportKind; rows: number }> {
  const kind = options.kind.trim().toLowerCase() as ExportKind;
  if (!EXPORT_KINDS.includes(kind)) throw invalid(`cannot export ${JSON.stringify(options.kind)}`, `export one of: ${EXPORT_KINDS.join(', ')}`);
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw invalid(`unknown format ${JSON.stringify(format)}`, 'use csv or json').because('export_format_unknown', { format });
  requireRole(ctx.actor, 'reports');
  if (options.event !== undefined && kind === 'customers') throw invalid('customers are not per event: leave out the event').because('export_customers_per_event', {});
  const eventId = options.event !== undefined ? (await findEvent(ctx.db, options.event)).event.id : undefined;
  const spec = specs[kind];
  const names = spec.columns.map((c) => c.name);
  const keys = names.map(jsonKey);
  let count = 0;
  // Batches keep the per-row cost low while memory stays flat however big the table.
  let batch: Record_[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (format === 'json') {
      const text = batch.map((r) => JSON.stringify(pick(r, names, keys))).join(',\n');
      await write(out, `${count === batch.length ? '' : ',\n'}${text}`);
    } else {
      const records = batch.map((r) => spec.columns.map((c) => csvCell(r, c)));
      await write(out, stringify(records, { escape_formulas: true, cast: { boolean: (b) => (b ? 'yes' : 'no') } }));
    }
    batch = [];
  };
  if (format === 'json') await write(out, '[\n');
  else await write(out, stringify([names]));
  for await (const row of spec.rows(ctx, { eventId })) {
    batch.push(row);
    count++;
    if (batch.length >= 500) await flush();
  }
  await flush();
  if (format === 'json') await write(out, `${count ? '\n' : ''}]\n`);
  return { kind, rows: count };
}

function pick(r: Record_, names: string[], keys: string[]): Record_ {
  const o: Record_ = {};
  for (let i = 0; i < names.length; i++) o[keys[i]] = r[names[i]] ?? null;
  return o;
}

function csvCell(r: Record_, c: Column): Cell {
  const v = r[c.name] ?? null;
  if (c.money && typeof v === 'number') return formatMajor(v, String(r.currency));
  return v;
}
