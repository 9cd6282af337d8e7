// For the race and crash tests: starting seller processes (seller.mjs) and reading their JSON
// lines, and consistency checks over a boxoffice database in plain SQL (better-sqlite3 for a
// file, `pg` for a postgres:// URL), so they do not depend on the code under test. Each check
// returns the offending rows.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export const SELLER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seller.mjs');

export interface SellerConfig {
  db: string;
  event: string;
  worker: string;
  seed: number;
  mode: 'rounds' | 'loop' | 'once';
  once?: Record<string, unknown>;
  clock?: { at: string } | { moved: string };
  attempts?: number;
  pool: string[];
  thinkMs?: number;
  dieBefore?: string;
  dieAfterSales?: number;
  armedMix?: SellerConfig['mix'];
  mix?: Partial<Record<'named' | 'best' | 'hold' | 'holdOnly' | 'refund' | 'ga' | 'checkin', number>>;
}

export interface Sale {
  code: string;
  seats: string[];
  tickets: number;
  via: string;
}

export interface Report {
  worker: string;
  sales: Sale[];
  refunded: string[];
  held: { code: string; seats: string[] }[];
  checkedIn: string[];
  refusals: Record<string, number>;
  unexpected: Record<string, unknown>[];
  startedAt: number;
  finishedAt: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface Seller {
  child: ChildProcessWithoutNullStreams;
  /** Every JSON line printed so far. */
  lines: any[];
  exited: Promise<Exit>;
}

/** Starts one seller process; `onLine` sees each JSON line as it arrives. */
export function startSeller(config: SellerConfig, onLine: (line: any) => void = () => {}): Seller {
  const child = spawn(process.execPath, [SELLER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: any[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!text.trim()) continue;
      let line: any;
      try {
        line = JSON.parse(text);
      } catch {
        line = { garbage: text };
      }
      lines.push(line);
      onLine(line);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  // A killed worker's stdin pipe may close under us: that is fine.
  child.stdin.on('error', () => {});
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, lines, exited };
}

const HELD = ['held'];
const ISSUED = ['valid', 'used'];
const WAS_PAID = ['paid', 'partially_refunded', 'refunded'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** name -> SQL returning rows that break the invariant. */
export const CHECKS = {
  // A seat can never be sold twice: at most one issued ticket per (event, seat).
  seatSoldTwice: `
    select event_id, seat_id, count(*) as tickets, group_concat(order_id) as orders
      from tickets where seat_id is not null and status in (${list(ISSUED)})
     group by event_id, seat_id having count(*) > 1`,
  // ... nor held twice, nor held while sold.
  seatTakenTwice: `
    select event_id, seat_id, count(*) as tickets from tickets
     where seat_id is not null and status in (${list([...HELD, ...ISSUED])})
     group by event_id, seat_id having count(*) > 1`,
  // Every sold claim points at an issued ticket for the same event and seat.
  soldClaimWithoutIssuedTicket: `
    select c.* from seat_claims c left join tickets t on t.id = c.ticket_id
     where c.status = 'sold'
       and (t.id is null or t.status not in (${list(ISSUED)}) or t.event_id <> c.event_id or t.seat_id is not c.seat_id)`,
  // Every issued reserved-seat ticket is backed by the sold claim on its seat.
  issuedTicketWithoutSoldClaim: `
    select t.id, t.order_id, t.seat_id from tickets t
      left join seat_claims c on c.event_id = t.event_id and c.seat_id = t.seat_id
     where t.seat_id is not null and t.status in (${list(ISSUED)})
       and (c.seat_id is null or c.status <> 'sold' or c.ticket_id is not t.id)`,
  // Held claims and held tickets belong together, to a pending order.
  heldClaimWithoutHeldTicket: `
    select c.* from seat_claims c left join tickets t on t.id = c.ticket_id
      left join orders o on o.id = t.order_id
     where c.status = 'held' and (t.id is null or t.status <> 'held' or o.status <> 'pending' or t.seat_id is not c.seat_id)`,
  heldTicketWithoutHeldClaim: `
    select t.id, t.order_id from tickets t
      left join seat_claims c on c.event_id = t.event_id and c.seat_id = t.seat_id
     where t.status = 'held' and t.seat_id is not null
       and (c.seat_id is null or c.status <> 'held' or c.ticket_id is not t.id)`,
  heldTicketOutsidePendingOrder: `
    select t.id, o.code, o.status from tickets t join orders o on o.id = t.order_id
     where t.status = 'held' and o.status <> 'pending'`,
  // Issued tickets only on orders that are paid (in full or in part); with a code.
  issuedTicketOnUnpaidOrder: `
    select t.id, o.code, o.status from tickets t join orders o on o.id = t.order_id
     where t.status in (${list(ISSUED)}) and (o.status not in ('paid', 'partially_refunded') or t.code is null)`,
  // A paid order has exactly one payment, and at least one issued ticket.
  paidOrderWithoutOnePayment: `
    select o.code, o.status, (select count(*) from payments p where p.order_id = o.id and p.kind = 'payment') as payments
      from orders o where o.status in (${list(WAS_PAID)})
       and (select count(*) from payments p where p.order_id = o.id and p.kind = 'payment') <> 1`,
  paidOrderWithoutIssuedTicket: `
    select o.code from orders o where o.status in ('paid', 'partially_refunded')
       and not exists (select 1 from tickets t where t.order_id = o.id and t.status in (${list(ISSUED)}))`,
  paidOrderWithHeldOrVoidTicket: `
    select o.code, t.id, t.status from orders o join tickets t on t.order_id = o.id
     where o.status = 'paid' and t.status not in (${list(ISSUED)})`,
  paidAmountIsNotTotal: `
    select o.code, o.total, p.amount, p.method from orders o join payments p on p.order_id = o.id and p.kind = 'payment'
     where p.method in ('cash', 'card') and p.amount <> o.total`,
  orderTotalIsNotTicketSum: `
    select o.code, o.total, (select sum(price) from tickets t where t.order_id = o.id) as sum
      from orders o where o.total <> (select coalesce(sum(price), 0) from tickets t where t.order_id = o.id)`,
  orderWithoutTickets: `
    select o.code from orders o where not exists (select 1 from tickets t where t.order_id = o.id)`,
  // No money on an order that never completed.
  paymentOnUnpaidOrder: `
    select p.id, o.code, o.status from payments p join orders o on o.id = p.order_id
     where o.status not in (${list(WAS_PAID)})`,
  // A hold lasts at least a minute; an unpaid order that "expired" on creation is a sale (which
  // creates its order with no time to live) that never reached its payment.
  halfMadeSale: `
    select code, status, created_at, expires_at from orders
     where status in ('pending', 'expired') and (expires_at is null or julianday(expires_at) - julianday(created_at) < 1.0 / 1440)`,
  pendingOrderWithIssuedOrVoidTicket: `
    select o.code, t.status from orders o join tickets t on t.order_id = o.id
     where o.status = 'pending' and t.status <> 'held'`,
  refundedOrderWithIssuedTicket: `
    select o.code from orders o join tickets t on t.order_id = o.id
     where o.status = 'refunded' and t.status in (${list([...HELD, ...ISSUED])})`,
  // The outbox tells the same story: one order.created per order, one order.paid per paid order,
  // one order.refunded per refund, and no event about an order that did not commit.
  orderWithoutOneCreatedEvent: `
    select o.code, (select count(*) from outbox e where e.type = 'order.created' and e.subject = 'order/' || o.code) as n
      from orders o where n <> 1`,
  paidOrderWithoutOnePaidEvent: `
    select o.code, (select count(*) from outbox e where e.type = 'order.paid' and e.subject = 'order/' || o.code) as n
      from orders o where o.status in (${list(WAS_PAID)}) and n <> 1`,
  paidEventForUnpaidOrder: `
    select e.seq, e.subject, o.status from outbox e left join orders o on 'order/' || o.code = e.subject
     where e.type = 'order.paid' and (o.id is null or o.status not in (${list(WAS_PAID)}))`,
  orderEventWithoutOrder: `
    select e.seq, e.type, e.subject from outbox e left join orders o on 'order/' || o.code = e.subject
     where e.subject like 'order/%' and o.id is null`,
  refundWithoutEvent: `
    select o.code,
           (select count(*) from payments p where p.order_id = o.id and p.kind = 'refund') as refunds,
           (select count(*) from outbox e where e.type = 'order.refunded' and e.subject = 'order/' || o.code) as events
      from orders o where refunds <> events`,
  ticketIssuedEvents: `
    select t.id from tickets t where t.code is not null
       and (select count(*) from outbox e where e.type = 'ticket.issued' and e.subject = 'ticket/' || t.id) <> 1`,
};

/** Runs every check; returns { violations: {name: rows}, stats }. */
export function checkDatabase(file: string): { violations: Record<string, unknown[]>; stats: Record<string, unknown> } {
  const sqlite = new Sqlite(file, { timeout: 15_000 });
  try {
    const integrity = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreignKeys = sqlite.pragma('foreign_key_check') as unknown[];
    const violations: Record<string, unknown[]> = {};
    if (integrity.length !== 1 || integrity[0] !== 'ok') violations.integrity = integrity;
    if (foreignKeys.length) violations.foreignKeys = foreignKeys;
    for (const [name, query] of Object.entries(CHECKS)) {
      const rows = sqlite.prepare(query).all();
      if (rows.length) violations[name] = rows.slice(0, 10);
    }
    const count = (q: string) => sqlite.prepare(q).pluck().get();
    const byStatus = (table: string) =>
      Object.fromEntries((sqlite.prepare(`select status, count(*) as n from ${table} group by status`).all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
    const stats = {
      integrity: integrity.join('; '),
      orders: byStatus('orders'),
      tickets: byStatus('tickets'),
      claims: byStatus('seat_claims'),
      payments: count(`select count(*) from payments where kind = 'payment'`),
      refunds: count(`select count(*) from payments where kind = 'refund'`),
      paidEvents: count(`select count(*) from outbox where type = 'order.paid'`),
      customers: count('select count(*) from customers'),
    };
    return { violations, stats };
  } finally {
    sqlite.close();
  }
}

/** The paid (or partly refunded) orders with their issued seats, and every order's status and channel. */
export function soldOrders(file: string): { orders: { id: number; code: string; status: string; channel: string }[]; seatsByOrder: Map<string, string[]> } {
  const sqlite = new Sqlite(file, { readonly: true, timeout: 15_000 });
  try {
    const orders = sqlite.prepare('select id, code, status, channel from orders order by id').all() as { id: number; code: string; status: string; channel: string }[];
    const seats = sqlite
      .prepare(
        `select o.code, s.row_label || '-' || s.number as seat from tickets t
           join orders o on o.id = t.order_id join seats s on s.id = t.seat_id
          where t.status in (${list(ISSUED)})`,
      )
      .all() as { code: string; seat: string }[];
    const seatsByOrder = new Map<string, string[]>();
    for (const r of seats) seatsByOrder.set(r.code, [...(seatsByOrder.get(r.code) ?? []), r.seat].sort());
    return { orders, seatsByOrder };
  } finally {
    sqlite.close();
  }
}

// The same checks in PostgreSQL's SQL: `is distinct from` for SQLite's `is not` between values,
// string_agg for group_concat, no output alias in WHERE, time arithmetic on timestamps.
const postgresOverrides: Partial<Record<keyof typeof CHECKS, string>> = {
  halfMadeSale: `
    select code, status, created_at, expires_at from orders
     where status in ('pending', 'expired') and (expires_at is null or expires_at::timestamptz - created_at::timestamptz < interval '1 minute')`,
  orderWithoutOneCreatedEvent: `
    select * from (select o.code, (select count(*) from outbox e where e.type = 'order.created' and e.subject = 'order/' || o.code) as n from orders o) x
     where n <> 1`,
  paidOrderWithoutOnePaidEvent: `
    select * from (select o.code, (select count(*) from outbox e where e.type = 'order.paid' and e.subject = 'order/' || o.code) as n
      from orders o where o.status in (${list(WAS_PAID)})) x where n <> 1`,
  refundWithoutEvent: `
    select * from (select o.code,
           (select count(*) from payments p where p.order_id = o.id and p.kind = 'refund') as refunds,
           (select count(*) from outbox e where e.type = 'order.refunded' and e.subject = 'order/' || o.code) as events
      from orders o) x where refunds <> events`,
};
export const POSTGRES_CHECKS: Record<keyof typeof CHECKS, string> = Object.fromEntries(
  Object.entries(CHECKS).map(([name, query]) => [
    name,
    postgresOverrides[name as keyof typeof CHECKS] ?? query.replaceAll(' is not ', ' is distinct from ').replace(/group_concat\((\w+)\)/g, "string_agg($1::text, ',')"),
  ]),
) as Record<keyof typeof CHECKS, string>;

const isUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

/** Runs `work` with a pg client on `url`; counts (int8) come back as numbers. */
async function withPostgres<T>(url: string, work: (query: (text: string) => Promise<any[]>) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  try {
    return await work(async (text) => (await client.query(text)).rows);
  } finally {
    await client.end();
  }
}

/** checkDatabase() for a SQLite file or a postgres:// URL. */
export async function checkDatabaseAt(target: string): Promise<{ violations: Record<string, unknown[]>; stats: Record<string, unknown> }> {
  if (!isUrl(target)) return checkDatabase(target);
  return withPostgres(target, async (query) => {
    // PostgreSQL checks its foreign keys as it writes; there is no integrity pragma to run.
    const violations: Record<string, unknown[]> = {};
    for (const [name, text] of Object.entries(POSTGRES_CHECKS)) {
      const rows = await query(text);
      if (rows.length) violations[name] = rows.slice(0, 10);
    }
    const count = async (q: string) => (await query(q))[0].n as number;
    const byStatus = async (table: string) => Object.fromEntries((await query(`select status, count(*) as n from ${table} group by status`)).map((r) => [r.status, r.n]));
    const stats = {
      orders: await byStatus('orders'),
      tickets: await byStatus('tickets'),
      claims: await byStatus('seat_claims'),
      payments: await count(`select count(*) as n from payments where kind = 'payment'`),
      refunds: await count(`select count(*) as n from payments where kind = 'refund'`),
      paidEvents: await count(`select count(*) as n from outbox where type = 'order.paid'`),
      customers: await count('select count(*) as n from customers'),
    };
    return { violations, stats };
  });
}

/** soldOrders() for a SQLite file or a postgres:// URL. */
export async function soldOrdersAt(target: string): Promise<ReturnType<typeof soldOrders>> {
  if (!isUrl(target)) return soldOrders(target);
  return withPostgres(target, async (query) => {
    const orders = (await query('select id, code, status, channel from orders order by id')) as { id: number; code: string; status: string; channel: string }[];
    const seats = (await query(
      `select o.code, s.row_label || '-' || s.number as seat from tickets t
         join orders o on o.id = t.order_id join seats s on s.id = t.seat_id
        where t.status in (${list(ISSUED)})`,
    )) as { code: string; seat: string }[];
    const seatsByOrder = new Map<string, string[]>();
    for (const r of seats) seatsByOrder.set(r.code, [...(seatsByOrder.get(r.code) ?? []), r.seat].sort());
    return { orders, seatsByOrder };
  });
}

/** Runs one SQL query on a SQLite file or a postgres:// URL (int8 as numbers). */
export async function queryAt(target: string, text: string): Promise<any[]> {
  if (isUrl(target)) return withPostgres(target, (query) => query(text));
  const sqlite = new Sqlite(target, { readonly: true, timeout: 15_000 });
  try {
    return sqlite.prepare(text).all();
  } finally {
    sqlite.close();
  }
}

/** Starts sellers, waits until each has opened the database, then lets them all go at once. */
export async function startTogether(configs: SellerConfig[]): Promise<Seller[]> {
  const sellers = configs.map((c) => startSeller(c));
  await Promise.all(
    sellers.map(
      (s, i) =>
        new Promise<void>((resolve, reject) => {
          const timer = setInterval(() => {
            if (s.lines.some((l) => l.ready)) {
              clearInterval(timer);
              resolve();
            }
          }, 5);
          s.exited.then((e) => {
            clearInterval(timer);
            reject(new Error(`worker ${configs[i].worker} exited before it was ready (${e.code ?? e.signal}): ${e.stderr}`));
          });
        }),
    ),
  );
  for (const s of sellers) s.child.stdin.write('go\n');
  return sellers;
}
