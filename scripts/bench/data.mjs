// 6. Bulk data: `import leads` of 100,000 generated rows, and `sync export` of 1,000,000 outbox
//    events to a file, each through the real binary in its own process (rows/s, peak RSS), against
//    raw better-sqlite3 doing the same writes / the same read, and `wc -l` of the same file.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { BIN, ROOT, check, dist, fmt, measuredNode, median, seededDatabase, timedSpawn } from './lib.mjs';

const BASELINE = path.join(ROOT, 'scripts', 'bench', 'data-baseline-worker.mjs');

function leadsCsv(file, n) {
  const sources = ['newsletter', 'walk-in', 'partner', 'instagram', ''];
  const names = ['Ana Silva', 'João Pedro', 'Zoë Kowalska', 'Maria', ''];
  const out = fs.openSync(file, 'w');
  let chunk = 'external_id,email,name,source,event,consent\n';
  for (let i = 0; i < n; i++) {
    // Most leads carry a CRM id; every third is for the event; a few emails repeat across events.
    chunk += `${i % 10 === 9 ? '' : `CRM-${i}`},lead${i}@example.com,${names[i % names.length]},${sources[i % sources.length]},${i % 3 === 0 ? 'Final' : ''},${i % 2 ? 'yes' : 'no'}\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

/** A real database (venue, event, a few real sales) whose outbox is then copied up to `n` rows. */
async function outboxDatabase(n) {
  const { file, eventId, rowLabel } = await seededDatabase({ rows: 20, seatsPerRow: 50 });
  const { openDatabase } = await import(dist('db/connection.js'));
  const { sellSeats } = await import(dist('core/orders/sale.js'));
  const { refundOrder } = await import(dist('core/orders/refund.js'));
  const { SINGLE_USER } = await import(dist('core/staff/permissions.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const handle = await openDatabase(file);
  const ctx = { db: handle.db, clock: systemClock, actor: SINGLE_USER, channel: 'bench' };
  for (let i = 0; i < 20; i++) {
    const order = await sellSeats(ctx, {
      event: eventId,
      seats: [
        { row: rowLabel(i), number: 1 },
        { row: rowLabel(i), number: 2 },
      ],
      tier: [{ name: 'Adult' }],
      payment: { method: 'cash' },
      email: `fan${i}@example.com`,
      name: 'Fan',
    });
    if (i % 5 === 4) await refundOrder(ctx, { code: order.code, reason: 'bench' });
  }
  await handle.close();
  const db = new Sqlite(file);
  db.exec('create temp table tpl as select row_number() over (order by seq) - 1 rn, type, subject, time, operator, data from outbox');
  const m = db.prepare('select count(*) n from tpl').get().n;
  const have = db.prepare('select count(*) n from outbox').get().n;
  // Copies of the real events, each with a fresh UUID (v4 layout), in one statement.
  db.prepare(
    `with recursive k(i) as (select 0 union all select i + 1 from k where i + 1 < ?)
     insert into outbox (id, type, subject, time, operator, data)
     select lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
            t.type, t.subject, t.time, t.operator, t.data
     from k join tpl t on t.rn = k.i % ?`,
  ).run(n - have, m);
  db.close();
  return { file, kinds: m };
}

async function importRun(n, csv) {
  const { file, eventId } = await seededDatabase({ rows: 2, seatsPerRow: 10 });
  const r = await measuredNode(BIN, ['--db', file, 'import', 'leads', csv], { env: { HOME: path.dirname(file) } });
  const made = new Sqlite(file, { readonly: true }).prepare('select count(*) n from leads').get().n;
  if (made !== n || !/ created/.test(r.stdout + r.stderr)) throw new Error(`import leads: ${made} leads for ${n} rows: ${r.stdout} ${r.stderr}`);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const { file: raw } = await seededDatabase({ rows: 2, seatsPerRow: 10 });
  const b = await measuredNode(BASELINE, ['leads', raw, csv, eventId]);
  fs.rmSync(path.dirname(raw), { recursive: true, force: true });
  const wc = await timedSpawn('wc', ['-l', csv]);
  return { seconds: r.seconds, rss: r.peakRssMiB, rawSeconds: b.seconds, rawRss: b.peakRssMiB, wcMs: wc.ms };
}

async function exportRun(db, n) {
  const out = `${db}.${Date.now()}.ndjson`;
  const r = await measuredNode(BIN, ['--db', db, 'sync', 'export', '--consumer', `bench${Date.now()}`, '--to', out], { env: { HOME: path.dirname(db) } });
  if (!r.stderr.includes(`Delivered ${n} events`) && !r.stdout.includes(`Delivered ${n} events`)) throw new Error(`sync export: ${r.stdout} ${r.stderr}`);
  const bytes = fs.statSync(out).size;
  fs.rmSync(out);
  const rawOut = `${db}.raw.ndjson`;
  const b = await measuredNode(BASELINE, ['outbox', db, rawOut]);
  fs.rmSync(rawOut);
  return { seconds: r.seconds, rss: r.peakRssMiB, bytes, rawSeconds: b.seconds, rawRss: b.peakRssMiB };
}

export async function benchData({ quick }) {
  const leads = 100_000;
  const events = quick ? 200_000 : 1_000_000;
  const runs = quick ? 1 : 3;
  const dir = path.dirname(await seededDatabase({ rows: 1, seatsPerRow: 1 }).then((s) => s.file));
  const csv = path.join(dir, 'leads.csv');
  leadsCsv(csv, leads);
  const imports = [];
  for (let r = 0; r < runs; r++) imports.push(await importRun(leads, csv));
  // Flat memory: the same at a tenth of the size (full runs only).
  let smallImport;
  if (!quick) {
    const smallCsv = path.join(dir, 'leads-small.csv');
    leadsCsv(smallCsv, leads / 10);
    smallImport = await importRun(leads / 10, smallCsv);
  }

  const { file: outboxDb, kinds } = await outboxDatabase(events);
  const exports = [];
  for (let r = 0; r < runs; r++) exports.push(await exportRun(outboxDb, events));
  fs.rmSync(path.dirname(outboxDb), { recursive: true, force: true });
  let smallExport;
  if (!quick) {
    const smallOutbox = await outboxDatabase(events / 10);
    smallExport = await exportRun(smallOutbox.file, events / 10);
    fs.rmSync(path.dirname(smallOutbox.file), { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const m = (list, key) => median(list.map((x) => x[key]));
  const imp = m(imports, 'seconds');
  const exp = m(exports, 'seconds');
  const perSecond = events / exp;
  const rssImp = Math.max(...imports.map((x) => x.rss));
  const rssExp = Math.max(...exports.map((x) => x.rss));
  return {
    title: '6. Bulk data: import leads, sync export',
    note:
      `Each a fresh process of the real binary, end to end, median of ${runs} run(s); peak RSS (getrusage, worst run) in the child. ` +
      `Leads: a generated CSV of ${fmt(leads)} rows (9 in 10 with an external_id, a third for an event) into a fresh database (every row created; one lead.created event each). ` +
      `Events: a real database (sales, refunds) whose ${kinds} outbox rows are copied with fresh UUIDs by one INSERT … SELECT up to ${fmt(events)}, then \`sync export --consumer C --to FILE\` (cursor kept). ` +
      `${quick ? '' : '"Flat" memory: the same at a tenth of the size. '}Baselines: \`wc -l\` of the CSV; raw better-sqlite3 inserting the same rows (lead + outbox row) in one transaction; raw SELECT * FROM outbox + JSON.stringify per row to a file.`,
    rows: [
      [`\`wc -l\` of the ${fmt(leads)}-row CSV (baseline)`, `${fmt(m(imports, 'wcMs'))} ms`],
      [
        `raw better-sqlite3 insert of ${fmt(leads)} leads (baseline)`,
        `${fmt(m(imports, 'rawSeconds'), 2)} s (${fmt(leads / m(imports, 'rawSeconds'))} rows/s), peak RSS ${fmt(m(imports, 'rawRss'))} MiB`,
      ],
      [`\`import leads\`, ${fmt(leads)} rows`, `${fmt(imp, 2)} s (${check(imp, 5, { unit: ' s' })}), ${fmt(leads / imp)} rows/s; ${fmt(imp / m(imports, 'rawSeconds'), 1)}× the raw time`],
      [
        `\`import leads\`: peak RSS, ${fmt(leads)}${smallImport ? ` / ${fmt(leads / 10)}` : ''} rows`,
        `${fmt(rssImp)}${smallImport ? ` / ${fmt(smallImport.rss)}` : ''} MiB (${check(rssImp, 200, { unit: ' MiB' })})`,
      ],
      [
        `raw SELECT + JSON.stringify of ${fmt(events)} events (baseline)`,
        `${fmt(m(exports, 'rawSeconds'), 2)} s (${fmt(events / m(exports, 'rawSeconds'))} events/s), peak RSS ${fmt(m(exports, 'rawRss'))} MiB`,
      ],
      [
        `\`sync export\`, ${fmt(events)} events (${fmt(m(exports, 'bytes') / 2 ** 20)} MiB)`,
        `${fmt(exp, 2)} s, ${fmt(perSecond)} events/s (${check(perSecond, 100_000, { min: true, unit: '/s' })}); ${fmt(exp / m(exports, 'rawSeconds'), 1)}× the raw time`,
      ],
      [
        `\`sync export\`: peak RSS, ${fmt(events)}${smallExport ? ` / ${fmt(events / 10)}` : ''} events`,
        `${fmt(rssExp)}${smallExport ? ` / ${fmt(smallExport.rss)}` : ''} MiB (${check(rssExp, 200, { unit: ' MiB' })})`,
      ],
    ],
  };
}
