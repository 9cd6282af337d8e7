// 7. Cold start: `boxoffice --version` and `boxoffice event list --json` against `node -e 0`,
//    each a fresh OS process, runs interleaved so a busy moment hits all alike. The same command
//    unbundled (tsc's dist/main.js, which bin/boxoffice runs only when the bundle is missing or
//    older) shows what the bundle of scripts/build-bundle.mjs saves.
import fs from 'node:fs';
import path from 'node:path';
import { BIN, check, dist, fmt, median, seededDatabase, timedSpawn } from './lib.mjs';

export async function benchStartup({ quick }) {
  const runs = quick ? 5 : 11;
  const built = (file) => (fs.existsSync(dist(file)) ? fs.statSync(dist(file)).mtimeMs : -1);
  if (built('bundle/main.cjs') < built('main.js')) throw new Error('dist/bundle is missing or older than dist/: run `npm run build` (bin/boxoffice would run dist/ unbundled)');
  const { file } = await seededDatabase({ rows: 10, seatsPerRow: 20 });
  const home = path.dirname(file);
  const env = { PATH: process.env.PATH ?? '', HOME: home };
  const node = process.execPath;
  const cases = {
    node: [node, ['-e', '0']],
    version: [node, [BIN, '--version']],
    list: [node, [BIN, '--db', file, 'event', 'list', '--json']],
    unbundled: [node, [dist('main.js'), '--db', file, 'event', 'list', '--json']],
  };
  // One unmeasured round warms the file cache.
  for (const [cmd, args] of Object.values(cases)) await timedSpawn(cmd, args, { env });
  const times = { node: [], version: [], list: [], unbundled: [] };
  for (let r = 0; r < runs; r++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) times[name].push((await timedSpawn(cmd, args, { env })).ms);
  }
  const listed = JSON.parse((await timedSpawn(...cases.list, { env })).stdout);
  if (!Array.isArray(listed) || listed.length !== 1) throw new Error(`event list --json gave ${JSON.stringify(listed).slice(0, 200)}`);
  fs.rmSync(home, { recursive: true, force: true });

  const n = median(times.node);
  const v = median(times.version);
  const l = median(times.list);
  const u = median(times.unbundled);
  return {
    title: '7. Cold start',
    note: `Wall time of a fresh process (spawnSync, output captured), median of ${runs} runs each, interleaved; \`event list --json\` opens a database with one event. bin/boxoffice runs the bundle in dist/bundle/ (one CommonJS file through a V8 code cache, see scripts/build-bundle.mjs); "unbundled" runs tsc's dist/main.js.`,
    rows: [
      ['`node -e 0` (baseline)', `${fmt(n)} ms`],
      ['`boxoffice --version`', `${fmt(v)} ms`],
      ['`boxoffice event list --json`', `${fmt(l)} ms`],
      ['`event list --json` unbundled (dist/main.js)', `${fmt(u)} ms`],
      ['--version / node', `${fmt(v / n, 2)}× (${check(v / n, 1.5, { unit: '×', digits: 1 })})`],
      ['event list / node', `${fmt(l / n, 2)}× (${check(l / n, 3, { unit: '×' })})`],
    ],
  };
}
