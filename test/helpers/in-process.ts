// Runs the CLI in this process with string-backed output: fast, and lets a test pretend stdout is a TTY.
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runCli } from '../../src/cli/program.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

export function inProcess(env: Record<string, string>) {
  return async (args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}): Promise<InProcessResult> => {
    const io = bufferIO({ tty: options.tty, env: { ...env, ...options.env }, columns: 120 });
    const code = await runCli(args, io);
    let json: any;
    try {
      json = JSON.parse(io.out());
    } catch {
      json = undefined;
    }
    return { code, stdout: io.out(), stderr: io.err(), json };
  };
}
