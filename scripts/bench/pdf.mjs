// 5. Ticket PDFs: 1,000 tickets into one PDF through the real binary (`tickets pdf --event`),
//    tickets per second and peak memory, against bare pdfkit drawing the same vector QR codes; and
//    (full run) 10,000 tickets' peak memory. The event is built by scripts/bench-ticket-pdf.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, check, fmt, measuredNode, median } from './lib.mjs';

const BUILDER = path.join(ROOT, 'scripts', 'bench-ticket-pdf.mjs');
const BARE = path.join(ROOT, 'scripts', 'bench', 'pdf-bare-worker.mjs');
const EVENT = 'Zoë & the Benchmarks';

/** Builds an event of `tickets` tickets (and measures it once): the script's figures and its kept directory. */
function build(tickets) {
  const res = spawnSync(process.execPath, [BUILDER, '--tickets', String(tickets), '--json', '--keep'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`bench-ticket-pdf.mjs --tickets ${tickets} failed: ${res.stderr}`);
  const figures = JSON.parse(res.stdout);
  return { figures, dir: path.dirname(figures.pdf) };
}

async function appRun(dir, tickets) {
  const out = path.join(dir, 'run.pdf');
  const r = await measuredNode(BIN, ['tickets', 'pdf', '--event', EVENT, '-o', out, '--layout', 'a4', '--json'], { env: { BOXOFFICE_DB: path.join(dir, 'bench.db'), HOME: dir } });
  const result = JSON.parse(r.stdout);
  if (result.tickets !== tickets) throw new Error(`tickets pdf made ${result.tickets} tickets, not ${tickets}`);
  return { perSecond: tickets / r.seconds, seconds: r.seconds, rss: r.peakRssMiB, bytes: result.bytes };
}

async function bareRun(dir, tickets) {
  const r = await measuredNode(BARE, [String(tickets), path.join(dir, 'bare.pdf')]);
  return { perSecond: tickets / r.seconds, seconds: r.seconds, rss: r.peakRssMiB, bytes: JSON.parse(r.stdout).bytes };
}

export async function benchPdf({ quick }) {
  const tickets = 1000;
  const few = 8;
  const runs = quick ? 1 : 5;
  const { dir } = build(tickets);
  const small = build(few).dir;
  const app = [];
  const bare = [];
  const appFew = [];
  const bareFew = [];
  for (let r = 0; r < runs; r++) {
    bare.push(await bareRun(dir, tickets));
    app.push(await appRun(dir, tickets));
    bareFew.push(await bareRun(small, few));
    appFew.push(await appRun(small, few));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(small, { recursive: true, force: true });
  const m = (list, key) => median(list.map((x) => x[key]));
  // Drawing speed: the extra tickets over the extra time, so process start-up, imports and fonts
  // (the same for 8 tickets as for 1,000) are left out.
  const a = (tickets - few) / (m(app, 'seconds') - m(appFew, 'seconds'));
  const b = (tickets - few) / (m(bare, 'seconds') - m(bareFew, 'seconds'));
  const rows = [
    [
      'bare pdfkit, same QR codes: tickets/s (baseline)',
      `${fmt(b)}; end to end ${fmt(m(bare, 'seconds'), 2)} s (${fmt(m(bare, 'perSecond'))}/s), 8 tickets ${fmt(m(bareFew, 'seconds'), 2)} s; peak RSS ${fmt(m(bare, 'rss'))} MiB`,
    ],
    [
      '`tickets pdf --event`: tickets/s',
      `${fmt(a)} (${check(a, 600, { min: true, unit: '/s' })}); end to end ${fmt(m(app, 'seconds'), 2)} s (${fmt(m(app, 'perSecond'))}/s), 8 tickets ${fmt(m(appFew, 'seconds'), 2)} s; peak RSS ${fmt(m(app, 'rss'))} MiB`,
    ],
    ['app / bare, tickets/s', `${fmt(a / b, 2)}×`],
  ];
  let big = '';
  if (!quick) {
    const large = build(10_000);
    fs.rmSync(large.dir, { recursive: true, force: true });
    const f = large.figures;
    rows.push([
      '10,000 tickets: peak RSS',
      `${fmt(f.peakRssMiB)} MiB (${check(f.peakRssMiB, 300, { unit: ' MiB' })}); one order's PDF ${fmt(f.baselinePeakRssMiB)} MiB; ${fmt(f.seconds, 1)} s end to end`,
    ]);
    big = ' The 10,000-ticket run is one run of scripts/bench-ticket-pdf.mjs (peak RSS against the same binary printing one order).';
  }
  return {
    title: '5. Ticket PDFs',
    note:
      `${fmt(tickets)} tickets of one event into one A4 PDF (4 a page) by the real binary, each a fresh process (start-up, database, fonts, file written), median of ${runs} runs; peak RSS from getrusage in the child (scripts/lib/max-rss.mjs). ` +
      `Tickets/s is the drawing speed: (${fmt(tickets)} − ${few}) tickets over the time ${fmt(tickets)} tickets take beyond ${few} (an ${few}-ticket event, same command), so start-up is left out; end-to-end figures beside it. ` +
      `Baseline: bare pdfkit in its own process drawing the same vector QR code (same code length, level M, runs of modules) and the code as text per ticket, four to a page, nothing else, measured the same way.${big}`,
    rows,
  };
}
