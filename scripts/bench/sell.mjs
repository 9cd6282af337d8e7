// 1. Sells per second through the core (2 seats, cash, tickets, outbox) vs raw better-sqlite3
//    prepared statements doing the same writes in one BEGIN IMMEDIATE transaction.
import Sqlite from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { dist, fmt, median, seededDatabase } from './lib.mjs';

async function coreRun(n) {
  const { file, eventId, rowLabel } = await seededDatabase({ rows: 40, seatsPerRow: 100 });
  const { openDatabase } = await import(dist('db/connection.js'));
  const { sellSeats } = await import(dist('core/orders/sale.js'));
  const { SINGLE_USER } = await import(dist('core/staff/permissions.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const handle = await openDatabase(file);
  const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'bench' };
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const row = rowLabel(Math.floor(i / 50));
    const seat = (i % 50) * 2 + 1;
    await sellSeats(ctx, {
      event: eventId,
      seats: [
        { row, number: seat },
        { row, number: seat + 1 },
      ],
      tier: [{ name: 'Adult' }],
      payment: { method: 'cash', tendered: 10000 },
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await handle.close();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return n / seconds;
}

/** The same rows a core sale writes, with hand-written prepared statements. */
export async function rawRun(n, synchronous) {
  const { file } = await seededDatabase({ rows: 40, seatsPerRow: 100 });
  // Outbox ids and idempotency keys as the core makes them (UUIDs version 7, in time order).
  const { newId } = await import(dist('core/codes.js'));
  const db = new Sqlite(file, { timeout: 15000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  const seats = db
    .prepare('select id from seats order by id')
    .all()
    .map((r) => r.id);
  const event = db.prepare('select id from events').get().id;
  const tier = db.prepare('select id from tiers').get().id;
  const section = db.prepare('select id from sections').get().id;
  const now = () => new Date().toISOString();
  const claimCheck = db.prepare('select seat_id from seat_claims where event_id = ? and seat_id in (?, ?)');
  const insOrder = db.prepare("insert into orders (code, event_id, status, total, currency, operator_name, channel, created_at, paid_at) values (?, ?, 'paid', 6000, 'EUR', 'bench', 'bench', ?, ?)");
  const insTicket = db.prepare("insert into tickets (order_id, event_id, section_id, seat_id, tier_id, price, code, status, issued_at) values (?, ?, ?, ?, ?, 3000, ?, 'valid', ?)");
  const insClaim = db.prepare("insert into seat_claims (event_id, seat_id, status, ticket_id) values (?, ?, 'sold', ?)");
  const insPayment = db.prepare(
    "insert into payments (order_id, kind, method, amount, currency, tendered, change_given, operator_name, created_at) values (?, 'payment', 'cash', 6000, 'EUR', 10000, 4000, 'bench', ?)",
  );
  const insKey = db.prepare('insert into idempotency_keys (key, request_hash, order_id, created_at) values (?, ?, ?, ?)');
  const insEvent = db.prepare("insert into outbox (id, type, subject, time, operator, data) values (?, ?, ?, ?, 'bench', ?)");
  const sale = (i) => {
    const a = seats[i * 2];
    const b = seats[i * 2 + 1];
    if (claimCheck.all(event, a, b).length) throw new Error('taken');
    const t = now();
    const order = insOrder.run(randomBytes(4).toString('hex'), event, t, t).lastInsertRowid;
    for (const seat of [a, b]) {
      const ticket = insTicket.run(order, event, section, seat, tier, randomBytes(16).toString('hex'), t).lastInsertRowid;
      insClaim.run(event, seat, ticket);
      insEvent.run(newId(), 'ticket.issued', `ticket/${ticket}`, t, '{}');
    }
    insPayment.run(order, t);
    insKey.run(newId(), 'h', order, t);
    for (const type of ['order.created', 'payment.created', 'order.paid']) insEvent.run(newId(), type, `order/${order}`, t, '{}');
  };
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    db.exec('begin immediate');
    try {
      sale(i);
      db.exec('commit');
    } catch (err) {
      db.exec('rollback');
      throw err;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return n / seconds;
}

export async function benchSell({ quick }) {
  const n = quick ? 300 : 1500;
  const runs = quick ? 1 : 3;
  const core = [];
  const raw = [];
  const rawNormal = [];
  for (let r = 0; r < runs; r++) {
    raw.push(await rawRun(n, 'FULL'));
    core.push(await coreRun(n));
    rawNormal.push(await rawRun(n, 'NORMAL'));
  }
  const c = median(core);
  const b = median(raw);
  return {
    title: '1. Sell path: core vs raw better-sqlite3',
    note: `${n} sales of 2 seats for cash per run, median of ${runs} run(s); WAL, synchronous=FULL for both. Raw = the same rows (order, 2 tickets, 2 claims, payment, idempotency key, 5 outbox rows; ids made as the core makes them) written by prepared statements in one BEGIN IMMEDIATE transaction.`,
    rows: [
      ['core sells/s (FULL)', fmt(c)],
      ['raw better-sqlite3 sells/s (FULL)', fmt(b)],
      ['raw better-sqlite3 sells/s (NORMAL), for reference', fmt(median(rawNormal))],
      ['core / raw', `${fmt(c / b, 2)}× (target ≥ 0.5×, and ≥ 1,500/s)`],
    ],
  };
}
