// A real terminal for tests: tmux on its own socket, keys sent, the screen read back.
import { execFileSync } from 'node:child_process';

export class Terminal {
  readonly socket = `bxtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(command: string, options: { cols?: number; rows?: number; env?: Record<string, string> } = {}) {
    const env = Object.entries(options.env ?? {})
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    // The shell stays open after the command so its last screen and exit status can be read.
    this.tmux('new-session', '-d', '-x', String(options.cols ?? 100), '-y', String(options.rows ?? 30), `${env} ${command}; echo "EXIT=$?"; sleep 600`);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types text (literally) and then optionally named keys such as Enter or Down. */
  type(text: string, ...keys: string[]): void {
    if (text) this.tmux('send-keys', '-l', text);
    if (keys.length) this.tmux('send-keys', ...keys);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p');
  }

  /** Waits until the screen matches, or fails with what the screen showed. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${last}`);
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
