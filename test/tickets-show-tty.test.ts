// `tickets show` in a real terminal (tmux): the details, and a QR code drawn with block characters
// that, read off the screen and rasterised, decodes (zbarimg) to the ticket's code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, preparedSandbox } from './helpers/cli.js';
import { Terminal } from './helpers/terminal.js';

const box = preparedSandbox();
let code: string;

beforeAll(() => {
  const sale = box.run(['sell', 'Gala', '--seats', 'B-4', '--tier', 'Adult', '--pay', 'cash', '--name', 'Zoë', '--json']);
  if (sale.code !== 0) throw new Error(sale.stderr);
  code = sale.json.tickets[0].code;
});
afterAll(() => box.cleanup());

/**
 * The QR on the screen as an image: qrcode-terminal's small mode draws two modules per character
 * cell, the glyph (█ ▀ ▄) being the light modules. Written as a PGM with a white margin.
 */
function screenQrToPgm(screen: string, file: string): void {
  const lines = screen.split('\n').filter((l) => /[█▀▄]/.test(l));
  expect(lines.length).toBeGreaterThan(10);
  const cols = Math.max(...lines.map((l) => [...l].length));
  const scale = 8;
  const margin = 4;
  const width = (cols + 2 * margin) * scale;
  const height = (lines.length * 2 + 2 * margin) * scale;
  const pixels = Buffer.alloc(width * height, 255);
  lines.forEach((text, i) =>
    [...text].forEach((ch, j) => {
      const light = [ch === '█' || ch === '▀', ch === '█' || ch === '▄'];
      light.forEach((isLight, half) => {
        if (isLight) return;
        const y0 = (margin + i * 2 + half) * scale;
        const x0 = (margin + j) * scale;
        for (let y = 0; y < scale; y++) pixels.fill(0, (y0 + y) * width + x0, (y0 + y) * width + x0 + scale);
      });
    }),
  );
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), pixels]));
}

it('draws the ticket and a QR code that scans as the ticket code', async () => {
  const term = new Terminal(`${process.execPath} ${BIN} tickets show ${code}`, { cols: 100, rows: 45, env: { BOXOFFICE_DB: box.db, HOME: box.dir, PATH: process.env.PATH ?? '' } });
  try {
    const screen = await term.waitFor(/EXIT=\d+/);
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain(code);
    expect(screen).toContain('Stalls, row B, seat 4');
    expect(screen).toContain('Zoë');
    const image = path.join(box.dir, 'screen-qr.pgm');
    screenQrToPgm(screen, image);
    const scan = spawnSync('zbarimg', ['-q', '--raw', image], { encoding: 'utf8' });
    expect(scan.stdout.trim()).toBe(code);
  } finally {
    term.close();
  }
});
