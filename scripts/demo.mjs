#!/usr/bin/env node
// `npm run demo`: a demo database, then the TUI at a terminal, or a scripted sale when piped.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'boxoffice');
const db = process.env.BOXOFFICE_DB ?? path.join(root, 'demo.db');
const env = { ...process.env, BOXOFFICE_DB: db };

function boxoffice(...args) {
  process.stderr.write(`\n$ boxoffice ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const res = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', env });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

boxoffice('init', '--demo');
if (process.stdin.isTTY && process.stdout.isTTY) {
  // At a terminal the demo is the box-office screen itself; piped, a scripted sale.
  process.stderr.write(`\nOpening the box office on ${db} (ctrl+c quits)…\n`);
  const res = spawnSync(process.execPath, [bin, 'ui'], { stdio: 'inherit', env });
  process.exit(res.status ?? 0);
}
boxoffice('event', 'list');
boxoffice('sell', 'Hamlet', '--best', '2', '--tier', 'Adult=1,Child=1', '--pay', 'cash', '--tendered', '50', '--name', 'Demo Buyer');
boxoffice('seats', 'Hamlet', '--section', 'Stalls');
process.stderr.write(`\nThe demo database is ${db}. Try: BOXOFFICE_DB=${db} ./bin/boxoffice --help\n`);
