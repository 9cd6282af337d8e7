// Entry point of the built CLI (bin/boxoffice loads this).
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
