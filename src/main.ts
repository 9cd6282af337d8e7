// Entry point of the built CLI (bin/boxoffice loads this).
import { processIO } from './commands/io.js';
import { runCli } from './commands/program.js';

const io = processIO();
const code = await runCli(process.argv.slice(2), io);
process.exitCode = code;
