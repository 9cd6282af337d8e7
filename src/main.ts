// Entry point of the CLI. bin/boxoffice runs it bundled, from dist/bundle/main.cjs (or from tsc's
// dist/main.js while the bundle is missing or older). In the bundle, the two imports in run() are
// answered by the CommonJS bundle of the command line (scripts/build-bundle.mjs and
// bundle-loader.mjs), and the --version branch loads nothing at all.
import { VERSION } from './cli/runtime/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the command tree (and the database layer under it) is loaded at all.
  process.stdout.write(`${VERSION}\n`);
} else {
  void run(argv);
}

// Not a top-level await: the bundle of this file is CommonJS, which has none. A failure is an
// unhandled rejection, which Node reports and exits 1 on, as it did for the top-level await.
async function run(args: string[]): Promise<void> {
  const { processIO } = await import('./cli/runtime/io.js');
  const { runCli } = await import('./cli/program.js');
  let code: number | undefined;
  // The one place the process is ended early: a stop before a command's commit (runtime/stop.ts),
  // a reader that closed the pipe (runtime/io.ts, quietly, with the code so far), a signal while
  // only scratch files are at stake (core/output-file.ts). Everything else returns its code here.
  const leave = (now?: number) => process.exit(now ?? code ?? 0);
  code = await runCli(args, processIO(leave));
  process.exitCode = code;
}
