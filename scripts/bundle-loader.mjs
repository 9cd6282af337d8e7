// Runs the command line from its CommonJS bundle (dist/bundle/cli-<hash>.cjs) through V8's code
// cache. scripts/build-bundle.mjs bundles this file into dist/bundle/ (where `import.meta.url`
// is) and also uses it at build time to write the cache. Why a bundle, why CommonJS and why a
// code cache: see scripts/build-bundle.mjs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/**
 * Whether argv opens the box-office screen: `ui`, or bare `boxoffice` at a terminal (the same
 * reading as commandWord() and runCli() in src/commands/program.ts).
 */
export function opensTui(argv) {
  if (argv.length === 0) return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db') i++;
    else if (!argv[i].startsWith('-')) return argv[i] === 'ui';
  }
  return false;
}

/** The file V8's code cache for `file` is kept in. */
export const cacheFileOf = (file) => `${file}.cache`;

/**
 * Compiles and runs the bundle `file` as Node would run a CommonJS module, but through
 * vm.Script so that V8 can take its compiled code from `cachedData` instead of parsing and
 * compiling it again. Returns the module's exports and the script (to write a new cache from).
 */
export function runBundle(file, cachedData) {
  const source = fs.readFileSync(file, 'utf8');
  // The same wrapper Node puts around a CommonJS module, plus the bundle's way to import() a
  // package: a script compiled from a code cache cannot call import() itself on Node 20 (its
  // dynamic-import callback is lost), so the build turns those calls into __load() calls.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __boxofficeLoad) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), (specifier) => import(specifier));
  return { exports: module.exports, script };
}

/**
 * The command line's entry points ({processIO, runCli}) from the bundle `file`: through the
 * code cache when there is one for it; with BOXOFFICE_DEBUG, by plain require(), so that Node
 * maps stack traces back to src/ through the bundle's source map; for the box-office screen,
 * from tsc's dist/ (Ink, which it is drawn with, is ESM with top-level await: it cannot be part
 * of a CommonJS bundle, and the screen must not mix two copies of the core).
 */
export async function startCli(file, argv = process.argv.slice(2)) {
  if (opensTui(argv)) {
    const dist = path.join(path.dirname(file), '..');
    const load = (...parts) => import(pathToFileURL(path.join(dist, ...parts)).href);
    const [{ processIO }, { runCli }] = await Promise.all([load('commands', 'io.js'), load('commands', 'program.js')]);
    return { processIO, runCli };
  }
  if (process.env.BOXOFFICE_DEBUG) return createRequire(import.meta.url)(file);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFileOf(file));
  } catch {
    // No cache (a build that could not write one): V8 compiles the bundle, a little slower.
  }
  return runBundle(file, cachedData).exports;
}
