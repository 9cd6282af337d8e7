// Reading PDFs back as a person and a door scanner would: text with poppler's pdftotext, pages
// rasterised with pdftoppm and every QR code on them decoded with zbarimg.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './cli.js';

function run(cmd: string, args: string[]): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`${cmd} could not run: ${res.error.message} (install poppler-utils and zbar-tools)`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

/** The PDF's text, laid out as on the page. */
export function pdfText(file: string): string {
  return run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
}

export function pdfPages(file: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]));
  if (!m) throw new Error(`pdfinfo gave no page count for ${file}`);
  return Number(m[1]);
}

/** The page size in points, e.g. [595.28, 841.89] for A4. */
export function pdfPageSize(file: string): [number, number] {
  const m = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(run('pdfinfo', [file]));
  if (!m) throw new Error(`pdfinfo gave no page size for ${file}`);
  return [Number(m[1]), Number(m[2])];
}

/** Every QR code on each page (pages first..last, 1-based), decoded from a 150 dpi rendering. */
export function qrCodesByPage(file: string, options: { first?: number; last?: number; dpi?: number } = {}): string[][] {
  const dir = tempDir('boxoffice-qr-');
  try {
    const args = ['-r', String(options.dpi ?? 150), '-png'];
    if (options.first) args.push('-f', String(options.first));
    if (options.last) args.push('-l', String(options.last));
    run('pdftoppm', [...args, file, path.join(dir, 'page')]);
    const pages = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    return pages.map((png) => {
      const res = spawnSync('zbarimg', ['-q', '--raw', '-Sdisable', '-Sqrcode.enable', path.join(dir, png)], { encoding: 'utf8' });
      if (res.error) throw new Error(`zbarimg could not run: ${res.error.message}`);
      // zbarimg exits 4 when it finds no code on the page: that page simply has none.
      if (res.status !== 0 && res.status !== 4) throw new Error(`zbarimg failed on ${png} (${res.status}): ${res.stderr}`);
      return res.stdout.split('\n').filter(Boolean);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
