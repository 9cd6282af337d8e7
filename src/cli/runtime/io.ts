// One object for the terminal: where output goes, whether it is a TTY, whether to colour.
import type { Readable, Writable } from 'node:stream';

export interface IO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdout is a terminal: draw tables and maps for people. */
  isTTY: boolean;
  /** stdin and stdout are terminals: prompts are allowed. */
  canPrompt: boolean;
  color: boolean;
  columns: number;
  env: NodeJS.ProcessEnv;
  /**
   * Ends the process now with `code` (by default the exit code it has so far): given by src/main.ts,
   * the one place that ends the process; absent when the CLI runs in-process (tests).
   */
  leave?: (code?: number) => void;
}

/**
 * A reader that stops early (`boxoffice export orders | head -1`) closes the pipe: that is not a
 * failure of ours, so leave quietly, as Unix tools do on SIGPIPE.
 */
function leaveQuietlyOnClosedPipe(stream: NodeJS.WriteStream, leave: () => void): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return leave();
    throw err;
  });
}

/** The process's terminal; `leave` ends the process (src/main.ts owns that). */
export function processIO(leave: (code?: number) => void): IO {
  const env = process.env;
  leaveQuietlyOnClosedPipe(process.stdout, () => leave());
  leaveQuietlyOnClosedPipe(process.stderr, () => leave());
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY,
    canPrompt: isTTY && Boolean(process.stdin.isTTY),
    color: isTTY && !('NO_COLOR' in env && env.NO_COLOR !== '') && !process.argv.includes('--no-color'),
    columns: process.stdout.columns || 80,
    env,
    leave,
  };
}

/** An IO backed by strings, for tests that run commands in-process. */
export function bufferIO(options: { tty?: boolean; env?: NodeJS.ProcessEnv; columns?: number } = {}): IO & { out(): string; err(): string } {
  const chunks = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]) => ({ write: (s: string | Uint8Array) => (into.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), true) }) as unknown as Writable;
  return {
    stdout: sink(chunks.out),
    stderr: sink(chunks.err),
    stdin: undefined as unknown as Readable,
    isTTY: options.tty ?? false,
    canPrompt: false,
    color: false,
    columns: options.columns ?? 100,
    env: options.env ?? {},
    out: () => chunks.out.join(''),
    err: () => chunks.err.join(''),
  };
}

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39], grey: [90, 39] } as const;
export type Style = keyof typeof codes;

export function paint(io: Pick<IO, 'color'>, style: Style, text: string): string {
  if (!io.color) return text;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
