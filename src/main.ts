// Entry point of the CLI: bin/boxoffice runs it from dist/bundle/main.js (or from dist/main.js
// when tsc has run without the bundle step). In the bundle, the two imports below are answered
// by the CommonJS bundle of the command line (scripts/build-bundle.mjs, bundle-loader.mjs), and
// the --version branch loads nothing at all.
import { VERSION } from './commands/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the command tree (and the database layer under it) is loaded at all.
  process.stdout.write(`${VERSION}\n`);
} else {
  const { processIO } = await import('./commands/io.js');
  const { runCli } = await import('./commands/program.js');
  process.exitCode = await runCli(argv, processIO());
}
