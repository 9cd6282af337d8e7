#!/usr/bin/env node
// `npm run bench [-- --quick]`: every benchmark against its baseline, written into docs/benchmarks.md.
// `--only=NAME` runs one module and leaves the file alone; `--only=NAME --write` replaces just that
// module's section in it (e.g. `npm run bench -- --only=postgres --write`).
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
import { benchPostgres } from './postgres.mjs';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const write = !only || process.argv.includes('--write');
const benches = { sell: benchSell, concurrency: benchConcurrency, seats: benchSeats, tui: benchTui, pdf: benchPdf, data: benchData, startup: benchStartup, postgres: benchPostgres };
if (only && !(only in benches)) {
  process.stderr.write(`no benchmark ${only}: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}

const sections = [];
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  process.stderr.write(`bench ${name}${quick ? ' (quick)' : ''}…\n`);
  const result = await bench({ quick });
  sections.push(result);
  process.stderr.write(`${result.rows.map((r) => `  ${r[0]}: ${r[1]}`).join('\n')}\n`);
}

const measured = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}${quick ? ' (--quick: fewer runs, smaller sizes)' : ''}.`;
// A section without rows (a benchmark that could not run here) is its note alone.
const markdown = (s) => [`### ${s.title}`, '', s.note, '', ...(s.rows.length ? ['| measure | value |', '|---|---|', ...s.rows.map((r) => `| ${r[0]} | ${r[1]} |`), ''] : [])].join('\n');

const file = path.join(ROOT, 'docs', 'benchmarks.md');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n`npm run bench` (or `npm run bench -- --quick`) rewrites the section between the markers.\n\n';
if (!only) {
  const body = [measured, '', ...sections.map(markdown)].join('\n');
  doc = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => `${start}\n${body}\n${end}`) : `${doc.trimEnd()}\n\n${start}\n${body}\n${end}\n`;
} else if (write) {
  // One module's section, measured on its own: it says so, and replaces its earlier version (the
  // text from its heading to the next heading or the end marker), or goes last.
  const [section] = sections;
  const text = `${markdown({ ...section, note: `${measured.replace('Measured', 'Measured alone (`--only`)')} ${section.note}` })}\n`;
  const number = section.title.split(' ')[0];
  const heading = new RegExp(`### ${number.replace('.', '\\.')} [^\\n]*\\n[\\s\\S]*?(?=### |${end})`);
  if (!doc.includes(start)) doc = `${doc.trimEnd()}\n\n${start}\n${end}\n`;
  doc = heading.test(doc.slice(doc.indexOf(start))) ? doc.slice(0, doc.indexOf(start)) + doc.slice(doc.indexOf(start)).replace(heading, () => text) : doc.replace(end, () => `${text}${end}`);
}
if (write) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
