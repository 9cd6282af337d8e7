#!/usr/bin/env node
// `npm run bench [-- --quick]`: every benchmark against its baseline, written into docs/benchmarks.md.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, machine } from './lib.mjs';
import { benchSell } from './sell.mjs';
import { benchConcurrency } from './concurrency.mjs';
import { benchSeats } from './seats.mjs';
import { benchTui } from './tui.mjs';
import { benchPdf } from './pdf.mjs';
import { benchData } from './data.mjs';
import { benchStartup } from './startup.mjs';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const benches = { sell: benchSell, concurrency: benchConcurrency, seats: benchSeats, tui: benchTui, pdf: benchPdf, data: benchData, startup: benchStartup };

const sections = [];
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench ${name}${quick ? ' (quick)' : ''}…\n`);
  const result = await bench({ quick });
  sections.push(result);
  process.stderr.write(`${result.rows.map((r) => `  ${r[0]}: ${r[1]}`).join('\n')}\n`);
}

const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${quick ? ' (--quick: fewer runs, smaller sizes)' : ''}.`,
  '',
  ...sections.flatMap((s) => [`### ${s.title}`, '', s.note, '', '| measure | value |', '|---|---|', ...s.rows.map((r) => `| ${r[0]} | ${r[1]} |`), '']),
].join('\n');

const file = path.join(ROOT, 'docs', 'benchmarks.md');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n`npm run bench` (or `npm run bench -- --quick`) rewrites the section between the markers.\n\n';
if (!only) {
  doc = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${body}\n${end}`) : `${doc.trimEnd()}\n\n${start}\n${body}\n${end}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
