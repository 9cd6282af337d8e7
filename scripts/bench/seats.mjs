// 3. `boxoffice seats <event> --json` and the drawn map (on a pseudo-terminal, through script(1))
//    for an 80,000-seat stadium, end to end, against the same SELECT in the sqlite3 shell.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { BIN, check, dist, fmt, median, seededDatabase, timedSpawn } from './lib.mjs';

const ROWS = 200;
const PER_ROW = 400;

/** A tenth of the seats sold (orders of 10, written straight into the file) and some blocked. */
async function fillSome(file, eventId) {
  const { newOrderCode, newTicketCode } = await import(dist('core/codes.js'));
  const db = new Sqlite(file);
  const event = Number(eventId);
  const tier = db.prepare('select id from tiers where event_id = ?').get(event).id;
  const seats = db.prepare('select id, section_id from seats order by id').all();
  const now = new Date().toISOString();
  const insOrder = db.prepare("insert into orders (code, event_id, status, total, currency, operator_name, channel, created_at, paid_at) values (?, ?, 'paid', 30000, 'EUR', 'bench', 'bench', ?, ?)");
  const insTicket = db.prepare("insert into tickets (order_id, event_id, section_id, seat_id, tier_id, price, code, status, issued_at) values (?, ?, ?, ?, ?, 3000, ?, 'valid', ?)");
  const insClaim = db.prepare('insert into seat_claims (event_id, seat_id, status, ticket_id, reason) values (?, ?, ?, ?, ?)');
  const codes = new Set();
  db.transaction(() => {
    for (let i = 0; i < seats.length; i += 100) {
      // Every 100 seats: 10 sold in one order, 1 blocked.
      let code;
      do code = newOrderCode();
      while (codes.has(code));
      codes.add(code);
      const order = insOrder.run(code, event, now, now).lastInsertRowid;
      for (const seat of seats.slice(i, i + 10)) {
        const ticket = insTicket.run(order, event, seat.section_id, seat.id, tier, newTicketCode(), now).lastInsertRowid;
        insClaim.run(event, seat.id, 'sold', ticket, null);
      }
      if (seats[i + 50]) insClaim.run(event, seats[i + 50].id, 'blocked', null, 'camera');
    }
  })();
  db.close();
}

export async function benchSeats({ quick }) {
  const runs = quick ? 3 : 7;
  const { file, eventId } = await seededDatabase({ rows: ROWS, seatsPerRow: PER_ROW });
  await fillSome(file, eventId);
  const home = path.dirname(file);
  const env = { PATH: process.env.PATH ?? '', HOME: home, TERM: 'xterm-256color' };
  const node = process.execPath;
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const venue = new Sqlite(file, { readonly: true }).prepare('select venue_id from events where id = ?').get(Number(eventId)).venue_id;
  const select = `select s.row_label row, s.number, coalesce(s.zone, sec.zone) zone, s.accessible, s.obstructed, s.x, s.y, coalesce(c.status, 'available') status
    from sections sec join seats s on s.section_id = sec.id left join seat_claims c on c.event_id = ${Number(eventId)} and c.seat_id = s.id
    where sec.venue_id = ${venue} and sec.kind = 'reserved' order by sec.position, s.row_rank, s.number;`;
  const cases = {
    sqlite: ['sqlite3', ['-json', '-readonly', file, select]],
    // The fixed part: start-up and opening the same file, with next to nothing to read.
    list: [node, [BIN, '--db', file, 'event', 'list', '--json']],
    json: [node, [BIN, '--db', file, 'seats', eventId, '--json']],
    // script(1) gives the command a pseudo-terminal (80 columns), so it draws the map.
    map: ['script', ['-qfec', `${quote(node)} ${quote(BIN)} --db ${quote(file)} seats ${eventId}`, '/dev/null']],
  };
  // Check each once (and warm the file cache): the right number of seats, and a drawn map.
  const shell = JSON.parse((await timedSpawn(...cases.sqlite, { env })).stdout);
  const json = JSON.parse((await timedSpawn(...cases.json, { env })).stdout);
  const drawn = (await timedSpawn(...cases.map, { env })).stdout;
  const seatCount = json.reduce((s, sec) => s + (sec.seats?.length ?? 0), 0);
  if (shell.length !== ROWS * PER_ROW || seatCount !== ROWS * PER_ROW) throw new Error(`expected ${ROWS * PER_ROW} seats: shell ${shell.length}, --json ${seatCount}`);
  if (!drawn.includes('STAGE') || !drawn.includes('●')) throw new Error(`no seat map drawn: ${drawn.slice(0, 300)}`);
  const mapLines = drawn.split('\n').length;
  const times = { sqlite: [], list: [], json: [], map: [] };
  for (let r = 0; r < runs; r++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) times[name].push((await timedSpawn(cmd, args, { env })).ms);
  }
  fs.rmSync(home, { recursive: true, force: true });
  const s = median(times.sqlite);
  const j = median(times.json);
  const m = median(times.map);
  return {
    title: '3. Seat availability of an 80,000-seat stadium',
    note:
      `One section of ${ROWS} rows × ${PER_ROW} seats, a tenth sold and 1 % blocked; each command a fresh process, end to end (start-up, open, read, print; output captured), median of ${runs} runs. ` +
      `The drawn map runs under \`script -qfec\` (a pseudo-terminal, 80 columns: ${fmt(mapLines)} lines). Baseline: the same seats, statuses and order from one SELECT in the sqlite3 shell (\`-json\`).`,
    rows: [
      ['sqlite3 shell, one SELECT → JSON (baseline)', `${fmt(s)} ms`],
      ['`boxoffice seats E --json`', `${fmt(j)} ms (${check(j, 500, { unit: ' ms' })})`],
      ['`boxoffice seats E` (drawn map, pseudo-terminal)', `${fmt(m)} ms (${check(m, 500, { unit: ' ms' })})`],
      ['`boxoffice event list --json` on the same file (start-up and open: the fixed part)', `${fmt(median(times.list))} ms`],
      ['--json / sqlite3', `${fmt(j / s, 1)}×`],
      ['map / sqlite3', `${fmt(m / s, 1)}×`],
    ],
  };
}
