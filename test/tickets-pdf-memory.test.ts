// A whole event's tickets in one PDF with bounded memory: scripts/bench-ticket-pdf.mjs builds an
// event of N tickets and runs the real binary in a child process, measuring its peak RSS. Here
// N is 2,000 to keep `npm test` quick; the script run with --tickets 10000 --write records the
// full figure in docs/benchmarks.md. Memory that grew with the tickets (pages kept, pdfkit's
// word cache, garbage left to pile up) shows as a peak well above the one-order baseline.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { pdfPages, qrCodesByPage } from './helpers/pdf.js';
import { renderTicketsPdf } from '../src/core/tickets/pdf.js';
import type { PrintableTicket } from '../src/core/tickets/printable.js';

const TICKETS = 2000;
/** Headroom over the one-order baseline (the same binary with pdfkit and fonts loaded). */
const MAX_GROWTH_MIB = 60;

it(`renders ${TICKETS} tickets streamed to disk, in about the memory of one order's PDF, every page complete`, () => {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench-ticket-pdf.mjs'), '--tickets', String(TICKETS), '--json', '--keep'], { encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  const figures = JSON.parse(res.stdout);
  const dir = path.dirname(figures.pdf);
  try {
    expect(figures).toMatchObject({ tickets: TICKETS, pages: TICKETS / 4, layout: 'a4' });
    expect(figures.peakRssMiB - figures.baselinePeakRssMiB, JSON.stringify(figures)).toBeLessThan(MAX_GROWTH_MIB);
    expect(pdfPages(figures.pdf)).toBe(TICKETS / 4);

    // The last page is whole and scans: the stream was not cut short.
    const db = new Database(path.join(dir, 'bench.db'), { readonly: true });
    const last = (db.prepare("select code from tickets where status = 'valid' order by id desc limit 4").pluck().all() as string[]).sort();
    db.close();
    expect(qrCodesByPage(figures.pdf, { first: TICKETS / 4, last: TICKETS / 4 })[0].sort()).toEqual(last);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('pulls tickets as it draws them and has written the earlier pages out before it reads the later tickets', async () => {
  let written = 0;
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      done();
    },
  });
  const seen: { pulled: number; written: number }[] = [];
  async function* tickets(): AsyncGenerator<PrintableTicket> {
    for (let i = 0; i < 1600; i++) {
      if (i % 400 === 0) seen.push({ pulled: i, written });
      yield {
        id: i,
        code: `T${String(i).padStart(25, '0')}`,
        status: 'valid',
        orderCode: 'K7P3QX',
        event: { id: 1, name: 'Festa de São João', startsAt: '2027-06-24T19:00:00Z', timezone: 'Europe/Lisbon', venue: 'Teatro', city: 'Porto' },
        section: 'Floor',
        row: null,
        number: null,
        tier: 'Adult',
        price: 2500,
        currency: 'EUR',
        holderName: 'Zoë',
      };
    }
  }
  const result = await renderTicketsPdf(tickets(), out, { layout: 'a4', lang: 'en' });
  expect(result).toEqual({ tickets: 1600, pages: 400 });
  // A renderer that read every ticket first, or kept its pages until the end, would show
  // nothing written by the time the last tickets are asked for.
  const atLast = seen[seen.length - 1];
  expect(atLast.pulled).toBe(1200);
  expect(atLast.written / written, JSON.stringify({ seen, written })).toBeGreaterThan(0.6);
  expect(seen.map((s) => s.written)).toEqual([...seen.map((s) => s.written)].sort((a, b) => a - b));
});
