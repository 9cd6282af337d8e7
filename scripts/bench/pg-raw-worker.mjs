// The baseline seller of the PostgreSQL benchmark, in its own OS process: hand-written `pg` (one
// client, named prepared statements) writing the rows a core sale writes — order (paid), 2
// tickets, 2 seat claims, payment, idempotency key, 5 outbox rows; codes and ids made as the core
// makes them — in one READ COMMITTED transaction per sale. Same requests, protocol and report as
// seller-worker.mjs (seller-loop.mjs).
//
//   node scripts/bench/pg-raw-worker.mjs '<json>'   config: { db: postgres://…, …seller-loop.mjs's config }
//
// Named seats: claims are inserted straight away; the claims' primary key (event, seat) refuses a
// seat another sale took (23505: the expected refusal). Best available: the first two adjacent
// free seats in seat order, locked FOR UPDATE SKIP LOCKED so concurrent sellers pass over each
// other's picks; a pick that a sale committed meanwhile (the lock came free after this statement's
// snapshot) fails on the same primary key and is tried again. The schema is the core's own
// (src/db/migrations-pg); look-ups a hand-written seller would cache (ids of the event's tier, the
// section, the seats) are read once at start.
import pg from 'pg';
import { newId, newOrderCode, newTicketCode } from '../../dist/core/codes.js';
import { runSeller } from './seller-loop.mjs';

const config = JSON.parse(process.argv[2]);
const client = new pg.Client({ connectionString: config.db });
await client.connect();

const section = (await client.query('select id from sections order by id limit 1')).rows[0].id;
const tiers = new Map((await client.query('select event_id, id from tiers')).rows.map((r) => [String(r.event_id), r.id]));
const currency = new Map((await client.query('select id, currency from events')).rows.map((r) => [String(r.id), r.currency]));
const seatId = new Map();
const seatLabel = new Map();
for (const r of (await client.query("select id, row_label || '-' || number as label from seats")).rows) {
  seatId.set(r.label, r.id);
  seatLabel.set(String(r.id), r.label);
}

class Refused extends Error {}

const q = (name, text, values) => client.query({ name, text, values });

const PICK_BEST = `
  select a.id as a, b.id as b from seats a
    join seats b on b.section_id = a.section_id and b.row_rank = a.row_rank and b.number = a.number + 1
   where a.section_id = $1
     and not exists (select 1 from seat_claims c where c.event_id = $2 and c.seat_id = a.id)
     and not exists (select 1 from seat_claims c where c.event_id = $2 and c.seat_id = b.id)
   order by a.row_rank, a.number
   limit 1
   for update of a, b skip locked`;

async function saleTransaction(request) {
  const event = request.event;
  let seats;
  if (request.best) {
    const picked = (await q('pick_best', PICK_BEST, [section, event])).rows[0];
    if (!picked) throw new Error('no 2 adjacent seats free (the section is too small for the run)');
    seats = [picked.a, picked.b];
  } else {
    seats = request.seats.split(',').map((label) => seatId.get(label));
    const taken = await q('claimed', 'select seat_id from seat_claims where event_id = $1 and seat_id = any($2::bigint[])', [event, seats]);
    if (taken.rows.length) throw new Refused('seat taken');
  }
  seats.sort((x, y) => Number(x) - Number(y));
  const t = new Date().toISOString();
  const code = newOrderCode();
  const cur = currency.get(String(event));
  const order = (
    await q(
      'ins_order',
      "insert into orders (code, event_id, status, total, currency, operator_name, channel, created_at, expires_at, paid_at) values ($1, $2, 'paid', 6000, $3, 'bench', 'bench', $4, $4, $4) returning id",
      [code, event, cur, t],
    )
  ).rows[0].id;
  for (const seat of seats) {
    const ticket = (
      await q('ins_ticket', "insert into tickets (order_id, event_id, section_id, seat_id, tier_id, price, code, status, issued_at) values ($1, $2, $3, $4, $5, 3000, $6, 'valid', $7) returning id", [
        order,
        event,
        section,
        seat,
        tiers.get(String(event)),
        newTicketCode(),
        t,
      ])
    ).rows[0].id;
    await q('ins_claim', "insert into seat_claims (event_id, seat_id, status, ticket_id) values ($1, $2, 'sold', $3)", [event, seat, ticket]);
    await q('ins_event', "insert into outbox (id, type, subject, time, operator, data) values ($1, $2, $3, $4, 'bench', '{}')", [newId(), 'ticket.issued', `ticket/${ticket}`, t]);
  }
  await q(
    'ins_payment',
    "insert into payments (order_id, kind, method, amount, currency, tendered, change_given, operator_name, created_at) values ($1, 'payment', 'cash', 6000, $2, 10000, 4000, 'bench', $3)",
    [order, cur, t],
  );
  await q('ins_key', "insert into idempotency_keys (key, request_hash, order_id, created_at) values ($1, 'h', $2, $3)", [newId(), order, t]);
  for (const type of ['order.created', 'payment.created', 'order.paid']) {
    await q('ins_event', "insert into outbox (id, type, subject, time, operator, data) values ($1, $2, $3, $4, 'bench', '{}')", [newId(), type, `order/${code}`, t]);
  }
  return { code, seats: seats.map((id) => seatLabel.get(String(id))) };
}

/** One sale in one transaction; a lost race on a best-available pick or an order code, a deadlock or a serialization failure is tried again. */
async function sell(request) {
  for (let attempt = 1; ; attempt++) {
    await client.query('begin');
    try {
      const sale = await saleTransaction(request);
      await client.query('commit');
      return sale;
    } catch (err) {
      await client.query('rollback');
      const lostSeat = err.code === '23505' && err.constraint === 'seat_claims_pk';
      if (lostSeat && !request.best) throw new Refused('seat taken');
      const again = lostSeat || err.code === '23505' || err.code === '40001' || err.code === '40P01';
      if (!again || attempt >= 20) throw err;
    }
  }
}

await runSeller(config, {
  sell,
  isRefusal: (err) => err instanceof Refused,
  close: () => client.end(),
});
