// The TUI in its own process for the keypress benchmark: the compiled App (dist/ui) rendered by
// ink-testing-library over a real database file, React's production build (as `boxoffice ui`
// runs it). Opens the seat map of one event, then presses keys one at a time and times each from
// the key written to stdin to the next frame Ink writes that differs from the one before.
//
//   NODE_ENV=production node scripts/bench/tui-worker.mjs '{"db": "...", "event": "Concert", "keys": 120, "columns": 110, "rows": 32}'
// Prints one JSON line: { latencies: [ms, …], seatsDrawn, frame }.
import React from 'react';
import { render } from 'ink-testing-library';
import { openDatabase } from '../../dist/db/connection.js';
import { SINGLE_USER } from '../../dist/core/staff/permissions.js';
import { systemClock } from '../../dist/core/clock.js';
import { App } from '../../dist/ui/app.js';
import { createAuth, createServices } from '../../dist/ui/services.js';

const config = JSON.parse(process.argv[2]);
const KEY = { up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', pageUp: '\u001B[5~', pageDown: '\u001B[6~', enter: '\r' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const handle = await openDatabase(config.db);
const base = { db: handle.db, clock: systemClock, channel: 'tui' };
const app = render(
  React.createElement(App, {
    actor: SINGLE_USER,
    auth: createAuth(base),
    makeServices: (a) => createServices(base, a),
    color: true,
    size: { columns: config.columns, rows: config.rows },
  }),
);

// Every frame Ink writes, with when it was written.
let last = '';
let waiter = null;
const write = app.stdout.write;
app.stdout.write = (frame) => {
  write(frame);
  const changed = frame !== last;
  last = frame;
  if (changed && waiter) {
    const w = waiter;
    waiter = null;
    w(performance.now());
  }
};
async function see(text, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!last.includes(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; last frame:\n${last}`);
    await sleep(10);
  }
  await sleep(50);
}
function nextFrame() {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no new frame within 5 s; last frame:\n${last}`)), 5000);
    waiter = (t) => (clearTimeout(timer), resolve(t));
  });
}

await see(config.event);
for (const ch of config.event) {
  app.stdin.write(ch);
  await sleep(5);
}
await sleep(100);
app.stdin.write(KEY.enter);
await see('STAGE');
// Moves that each change the frame and come back where they started, so any number can run.
const cycle = [KEY.right, KEY.down, KEY.pageDown, KEY.right, KEY.left, KEY.up, KEY.pageUp, KEY.left];
const latencies = [];
for (let i = 0; i < config.keys; i++) {
  const next = nextFrame();
  const t0 = performance.now();
  app.stdin.write(cycle[i % cycle.length]);
  latencies.push((await next) - t0);
  // A person's next key comes later: let effects and the trailing renders of this one settle.
  await sleep(25);
}
const frame = last.replace(/\u001b\[[0-9;]*m/g, '');
const seatsDrawn = [...frame].filter((c) => c === '○' || c === '●' || c === '◆').length;
app.unmount();
await handle.close();
process.stdout.write(`${JSON.stringify({ latencies, seatsDrawn, frame })}\n`);
process.exit(0);
