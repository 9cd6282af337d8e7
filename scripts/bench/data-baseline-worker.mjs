// Raw better-sqlite3 baselines for the data benchmark, each in its own process so its peak memory
// can be read the same way as the command's.
//
//   node scripts/bench/data-baseline-worker.mjs leads <db> <file.csv> <eventId>
//     reads the CSV (no quoting: the benchmark writes none), inserts every row into leads with one
//     lead.created outbox row each, in one transaction: the rows the import writes.
//   node scripts/bench/data-baseline-worker.mjs outbox <db> <out.ndjson>
//     SELECT * FROM outbox ORDER BY seq, each row JSON.stringify'd on its own line (data stays the
//     JSON text it is stored as), 1 MiB writes, fsync at the end.
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
// Outbox ids as the core makes them (UUIDs version 7, in time order).
import { newId } from '../../dist/core/codes.js';

const [mode, dbFile, file, eventId] = process.argv.slice(2);
const db = new Sqlite(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
let count = 0;
if (mode === 'leads') {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = lines[0].split(',');
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const now = new Date().toISOString();
  const lead = db.prepare('insert into leads (external_id, email, name, source, event_id, consent, created_at) values (?, ?, ?, ?, ?, ?, ?)');
  const event = db.prepare("insert into outbox (id, type, subject, time, operator, data) values (?, 'lead.created', ?, ?, 'bench', ?)");
  db.transaction(() => {
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const c = lines[i].split(',');
      const ev = c[col.event] ? Number(eventId) : null;
      const id = lead.run(c[col.external_id] || null, c[col.email], c[col.name] || null, c[col.source] || null, ev, c[col.consent] === 'yes' ? 1 : 0, now).lastInsertRowid;
      event.run(newId(), `lead/${id}`, now, JSON.stringify({ id: Number(id), email: c[col.email], source: c[col.source] || null, eventId: ev }));
      count++;
    }
  })();
} else if (mode === 'outbox') {
  const fd = fs.openSync(file, 'w');
  let buffer = [];
  let size = 0;
  for (const row of db.prepare('select * from outbox order by seq').iterate()) {
    const line = `${JSON.stringify(row)}\n`;
    buffer.push(line);
    size += line.length;
    count++;
    if (size > 1 << 20) {
      fs.writeSync(fd, buffer.join(''));
      buffer = [];
      size = 0;
    }
  }
  fs.writeSync(fd, buffer.join(''));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
} else {
  throw new Error(`unknown mode ${mode}`);
}
db.close();
process.stdout.write(`${JSON.stringify({ count })}\n`);
