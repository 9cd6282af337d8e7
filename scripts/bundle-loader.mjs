// Runs the command line from its CommonJS bundle (dist/bundle/cli-<hash>.cjs) through V8's code
// cache. scripts/build-bundle.mjs bundles this file into dist/bundle/main.cjs and also uses it at
// build time to write the cache. Why a bundle, why CommonJS and why a code cache: see there.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/**
 * Whether argv opens the box-office screen: `ui`, or bare `boxoffice` at a terminal (the same
 * reading as commandWord() and runCli() in src/cli/program.ts).
 */
export function opensTui(argv) {
  if (argv.length === 0) return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db') i++;
    else if (!argv[i].startsWith('-')) return argv[i] === 'ui';
  }
  return false;
}

/** The file V8's code cache for the bundle `file` is kept in. */
export const cacheFileOf = (file) => `${file}.cache`;

/**
 * Compiles and runs the bundle `file` as Node would run a CommonJS module, but through
 * vm.Script, so that V8 can take its compiled code from `cachedData` instead of parsing and
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
 * maps stack traces back to src/ through the bundle's source map. The box-office screen runs
 * from tsc's dist/ instead: Ink, which draws it, is ESM with top-level await and cannot be part
 * of a CommonJS bundle, and the screen must not mix two copies of the core.
 */
export function loadCli(file, argv = process.argv.slice(2)) {
  let cli;
  if (process.env.BOXOFFICE_DEBUG) {
    cli = createRequire(file)(file);
  } else {
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFileOf(file));
    } catch {
      // No cache (a build that could not write one): V8 compiles the bundle, a little slower.
    }
    cli = runBundle(file, cachedData).exports;
  }
  if (!opensTui(argv)) return cli;
  const program = pathToFileURL(path.join(path.dirname(file), '..', 'cli', 'program.js')).href;
  return { processIO: cli.processIO, runCli: async (args, io) => (await import(program)).runCli(args, io) };
}
