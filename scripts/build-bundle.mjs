#!/usr/bin/env node
// `npm run build` (after tsc): bundles the command line into dist/bundle/, which bin/boxoffice runs.
//
// Why: a command used to spend most of its start-up finding, reading and compiling modules one
// by one — Kysely's ~260 CommonJS files, commander, and our own ESM files — before doing any
// work. Now it reads two files: a small entry (dist/bundle/main.cjs, which alone answers
// --version) and one bundle of everything the commands need (cli-<hash>.cjs), which V8 takes
// already compiled from a code cache (cli-<hash>.cjs.cache) written here at build time. That
// cache is why the bundle is CommonJS and not split ESM chunks: Node 20 can use a code cache for
// a script (vm.Script) but not for an ES module. On the 2-core dev machine `event list --json`
// took ~80 ms of CPU this way, ~110 ms as code-split ESM chunks, ~200 ms unbundled.
//
// In the bundle: our code (src/, but src/ui) and the packages it imports statically (Kysely,
// commander, zod, csv-parse/-stringify, better-sqlite3's JavaScript). Not in it:
// - packages that a command imports lazily (`await import('pdfkit')`: pdfkit, qrcode, nodemailer,
//   conf, @inquirer/prompts, qrcode-terminal) load from node_modules as before: only the commands
//   that use them pay for them, and they run unchanged (pdfkit finds its fonts through its own
//   package.json, for one);
// - better-sqlite3's native addon (a .node file in node_modules);
// - the box-office screen (src/ui: Ink is ESM with top-level await, which a CommonJS bundle
//   cannot hold). `boxoffice ui` (and bare `boxoffice` at a terminal) runs from tsc's dist/, see
//   scripts/bundle-loader.mjs; the bundle refuses to load src/ui if it is ever asked to.
//
// What the build changes in the bundled code, each checked below so that a change elsewhere fails
// the build rather than a command:
// - `import.meta.url` (templates/ is found from src/core/tickets/assets.ts with it): every bundled
//   file sees the URL its code had unbundled, its tsc output in dist/ for our sources;
// - src/db/kysely.ts: Kysely's values come from its ESM build, bundled (only the parts used),
//   instead of createRequire(...)('kysely'); the check below makes sure only one copy of Kysely
//   is in (two would have different classes);
// - commander loads node:child_process (~4 ms) only when it spawns a subcommand, which we never do;
// - better-sqlite3 requires its addon by the path the `bindings` package finds here, at build time,
//   instead of searching a dozen paths at each start;
// - `import("pkg")` of the lazily loaded packages becomes `__load("pkg")` (same length: the source
//   map stays exact), because a script compiled from a code cache cannot call import() on Node 20.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFileOf, runBundle } from './bundle-loader.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'bundle');
const LOADER = path.join(ROOT, 'scripts', 'bundle-loader.mjs');

if (process.argv[2] === '--warm-up') {
  await warmUp(process.argv[3]);
  process.exit(0);
}

const esbuild = await import('esbuild');
const posix = (p) => p.split(path.sep).join('/');
const inside = (dir, file) => file.startsWith(dir + path.sep);

/** Where `file`'s code ran before bundling: its tsc output for src/, else the file itself. */
function unbundledLocation(file) {
  if (!inside(SRC, file)) return file;
  return path.join(DIST, path.relative(SRC, file)).replace(/\.tsx?$/, '.js');
}

const LOADERS = { '.ts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** Replaces `find` in the file `file`, or fails the build if it is no longer there. */
function patchFile(file, find, replace) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(find)) throw new Error(`${path.relative(ROOT, file)} no longer contains ${JSON.stringify(find)}: update scripts/build-bundle.mjs`);
  return { contents: text.replace(find, replace), loader: LOADERS[path.extname(file)], resolveDir: path.dirname(file) };
}

const KYSELY_EXPORTS = /^export const \{([^}]*)\} = kysely;/m;

const cliPlugin = {
  name: 'boxoffice-cli',
  setup(build) {
    // Kysely's ESM build, bundled: src/db/kysely.ts's names re-exported from it.
    build.onLoad({ filter: /[\\/]src[\\/]db[\\/]kysely\.ts$/, namespace: 'file' }, (args) => {
      const names = KYSELY_EXPORTS.exec(fs.readFileSync(args.path, 'utf8'))?.[1];
      if (!names) throw new Error(`src/db/kysely.ts no longer matches ${KYSELY_EXPORTS}: update scripts/build-bundle.mjs`);
      return { contents: `export {${names}} from 'kysely';`, loader: 'ts', resolveDir: path.dirname(args.path) };
    });
    build.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/, namespace: 'file' }, (args) =>
      patchFile(args.path, "const childProcess = require('node:child_process');", "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"),
    );
    // import.meta.url, as unbundled (see above).
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: 'file' }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = posix(path.relative(OUT, unbundledLocation(args.path)));
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, require('node:url').pathToFileURL(__filename)).href`),
        loader: LOADERS[path.extname(args.path)],
        resolveDir: path.dirname(args.path),
      };
    });
    // better-sqlite3's JavaScript is bundled; its native addon is required from where the
    // `bindings` package would find it (found here, once, rather than searched for at each start).
    build.onLoad({ filter: /[\\/]node_modules[\\/]better-sqlite3[\\/]lib[\\/]database\.js$/, namespace: 'file' }, (args) => {
      const addon = createRequire(args.path)('bindings')({ bindings: 'better_sqlite3.node', module_root: path.resolve(path.dirname(args.path), '..'), path: true });
      return patchFile(args.path, "require('bindings')('better_sqlite3.node')", `require(${JSON.stringify(posix(path.relative(OUT, addon)))})`);
    });
    build.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
    // Packages imported lazily stay in node_modules.
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
    // The box-office screen is not in the bundle.
    build.onResolve({ filter: /[\\/]ui[\\/]/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      if (!inside(path.join(SRC, 'ui'), target.replace(/\.js$/, '.ts')) || inside(path.join(SRC, 'ui'), args.importer)) return undefined;
      return { path: args.path, namespace: 'boxoffice-no-tui' };
    });
    build.onLoad({ filter: /.*/, namespace: 'boxoffice-no-tui' }, () => ({
      contents: "throw new Error('internal: the box-office screen runs from dist/, not from the bundle (see scripts/bundle-loader.mjs)');",
      loader: 'js',
    }));
    build.onResolve({ filter: /^boxoffice:cli$/ }, () => ({ path: 'cli', namespace: 'boxoffice-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'boxoffice-entry' }, () => ({
      contents: "export { processIO, bufferIO } from './src/cli/runtime/io.ts';\nexport { runCli } from './src/cli/program.ts';\n",
      loader: 'ts',
      resolveDir: ROOT,
    }));
  },
};

// 1. The command line, one CommonJS file.
const cli = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'boxoffice:cli' },
  entryNames: '[name]-[hash]',
  outExtension: { '.js': '.cjs' },
  outdir: OUT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The loader passes __boxofficeLoad; under plain require() (BOXOFFICE_DEBUG) import() works.
  banner: { js: 'var __load = typeof __boxofficeLoad == "function" ? __boxofficeLoad : (s) => import(s);' },
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // No comments left to mistake for code in the import() check below; the source map maps back.
  minifyWhitespace: true,
  metafile: true,
  write: false,
  logLevel: 'silent',
  plugins: [cliPlugin],
});
if (cli.warnings.length) {
  const text = await esbuild.formatMessages(cli.warnings, { kind: 'warning' });
  throw new Error(`the CLI bundle built with warnings; fix them (a warning here is a command broken at run time):\n${text.join('\n')}`);
}
const inputs = Object.keys(cli.metafile.inputs);
const kyselyBuilds = new Set(inputs.map((i) => /node_modules\/kysely\/dist\/([^/]+)\//.exec(i)?.[1]).filter(Boolean));
if (kyselyBuilds.size !== 1) throw new Error(`the bundle should hold one build of Kysely, it holds: ${[...kyselyBuilds].join(', ') || 'none'}`);
if (inputs.some((i) => i.startsWith('src/ui/'))) throw new Error('src/ui got into the CLI bundle');

// Written at the end, all at once (commands may be running from the previous bundle meanwhile).
const outputs = new Map(cli.outputFiles.map((out) => [out.path, out.text]));
const cliFile = [...outputs.keys()].find((f) => f.endsWith('.cjs'));
{
  const text = outputs.get(cliFile).replace(/\bimport\((["'][^"'\n]+["'])\)/g, '__load($1)');
  const left = text.match(/\bimport\(/g)?.length ?? 0;
  if (left !== 1) throw new Error(`the CLI bundle still calls import() ${left - 1} time(s) besides its banner; only import("literal") is turned into __load()`);
  outputs.set(cliFile, text);
}

// 2. The entry bin/boxoffice requires: src/main.ts, which answers --version at once, else loads
//    the bundle through the loader (initialised only then: esbuild wraps what main.ts imports
//    lazily). CommonJS as well: Node starts no ES module loader for a command at all.
const cliName = path.basename(cliFile);
const MAIN = path.join(OUT, 'main.cjs');
const entry = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: [path.join(SRC, 'main.ts')],
  outfile: MAIN,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'warning',
  plugins: [
    {
      name: 'boxoffice-start',
      setup(build) {
        // main.ts's two imports of the command line are answered by the bundle, through the loader.
        build.onResolve({ filter: /^\.\/cli\/(runtime\/io|program)\.js$/ }, (args) => (args.importer === path.join(SRC, 'main.ts') ? { path: 'start', namespace: 'boxoffice-start' } : undefined));
        build.onLoad({ filter: /.*/, namespace: 'boxoffice-start' }, () => ({
          contents: [
            `import path from 'node:path';`,
            `import { loadCli } from ${JSON.stringify(LOADER)};`,
            `export const { processIO, runCli } = loadCli(path.join(__dirname, ${JSON.stringify(cliName)}));`,
          ].join('\n'),
          loader: 'js',
          resolveDir: ROOT,
        }));
      },
    },
  ],
});
const mainInputs = Object.keys(entry.metafile.inputs);
if (mainInputs.some((i) => !/^(src\/(main|cli\/runtime\/version)\.ts|scripts\/bundle-loader\.mjs|boxoffice-start:start)$/.test(i))) {
  throw new Error(`dist/bundle/main.cjs should hold main.ts, version.ts and the loader only, it holds: ${mainInputs.join(', ')}`);
}
for (const out of entry.outputFiles) outputs.set(out.path, out.text);

// Each file is replaced whole (written aside, then renamed) and main.cjs, which names the bundle,
// comes last, after the bundle has passed its warm-up: a command starting meanwhile runs either
// the previous bundle or this one, complete. Then the previous one goes.
const write = (file) => {
  fs.writeFileSync(`${file}.tmp`, outputs.get(file));
  fs.renameSync(`${file}.tmp`, file);
};
fs.mkdirSync(OUT, { recursive: true });
for (const out of cli.outputFiles) write(out.path);

// 3. V8's code cache for the bundle, written by a fresh `node` that runs a few commands with it,
//    so the cache holds the functions they compile too. It also proves the bundle works.
const warm = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--warm-up', cliFile], { stdio: 'inherit' });
if (warm.status !== 0) throw new Error(`the CLI bundle failed its warm-up run (exit ${warm.status ?? warm.signal})`);

for (const out of entry.outputFiles) if (out.path !== MAIN) write(out.path);
write(MAIN);
for (const name of fs.readdirSync(OUT)) {
  const file = path.join(OUT, name);
  if (!outputs.has(file) && file !== cacheFileOf(cliFile)) fs.rmSync(file, { recursive: true, force: true });
}

const size = (f) => `${Math.round(fs.statSync(f).size / 1024)} KiB`;
process.stdout.write(`bundle: dist/bundle/main.cjs, ${cliName} (${size(cliFile)}, ${inputs.length} modules), code cache ${size(cacheFileOf(cliFile))}\n`);

/** Runs commands in-process from the bundle `file` on a scratch database, then writes its code cache. */
async function warmUp(file) {
  const { exports, script } = runBundle(file);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-warm-up-'));
  try {
    process.env.HOME = home;
    const db = path.join(home, 'box.db');
    const env = { HOME: home, PATH: process.env.PATH ?? '' };
    const run = async (...args) => {
      const io = exports.bufferIO({ env });
      const code = await exports.runCli(['--db', db, ...args], io);
      if (code !== 0) throw new Error(`warm-up: boxoffice ${args.join(' ')} exited ${code}: ${io.err()}`);
      return io.out();
    };
    await run('init', '--demo');
    const events = JSON.parse(await run('event', 'list', '--json'));
    if (!Array.isArray(events) || !events.some((e) => e.name === 'Hamlet')) throw new Error(`warm-up: event list --json gave ${JSON.stringify(events).slice(0, 200)}`);
    await run('seats', 'Hamlet', '--json');
    const cache = cacheFileOf(file);
    fs.writeFileSync(`${cache}.tmp`, script.createCachedData());
    fs.renameSync(`${cache}.tmp`, cache);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
