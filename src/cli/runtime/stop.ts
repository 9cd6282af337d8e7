// Ctrl-C, `kill` and a closed terminal while a command writes. Before the command's first commit,
// a stop ends it at once: SQLite rolls back what was not committed, and the command says that
// nothing was done. From that commit on, the stop waits: the command runs to its end and reports
// what it did (the order code, its JSON), and only then exits with the signal's code (130 for
// SIGINT, 143 for SIGTERM, 129 for SIGHUP). Either way, a change never goes unreported.
import { BoxofficeError } from '../../core/errors.js';
import { exitCodeFor } from './exit-codes.js';
import type { IO } from './io.js';
import { reportError } from './output.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export class StopGuard {
  #received: NodeJS.Signals | undefined;
  #saved: () => boolean = () => false;
  readonly #abandon: (() => void)[] = [];
  readonly #onSignal = (signal: NodeJS.Signals) => this.#stop(signal);

  /** Takes over the stop signals until `release()`; `unsaved` says what a stop before the commit leaves undone ("nothing was sold"). */
  constructor(
    private readonly io: IO,
    private readonly json: boolean,
    private readonly unsaved: string,
  ) {
    for (const signal of SIGNALS) process.on(signal, this.#onSignal);
  }

  /** How to know that the command has committed something (its database handle's `saved`). */
  savedWhen(saved: () => boolean): void {
    this.#saved = saved;
  }

  /** Runs `cleanup` if a stop ends the command before anything was saved (scratch files). */
  onAbandon(cleanup: () => void): void {
    this.#abandon.push(cleanup);
  }

  /** A stop arrived after the commit and waits for the command to finish: skip what can be done later. */
  get held(): boolean {
    return this.#received !== undefined;
  }

  /** Gives the signals back; the stop it held, if any, is then the error that ends the command. */
  async finish(): Promise<void> {
    // A signal that has arrived is dispatched on a later turn of the event loop; released before
    // that turn, it would be dropped, and a stopped command would exit 0.
    await new Promise((resolve) => setImmediate(resolve));
    this.release();
    if (this.#received) throw new InterruptedError(this.#received, true, `interrupted (${this.#received}) after the change was saved: it stands, as reported above`);
  }

  release(): void {
    for (const signal of SIGNALS) process.off(signal, this.#onSignal);
  }

  #stop(signal: NodeJS.Signals): void {
    // The first stop decides; more Ctrl-Cs while the command finishes change nothing.
    if (this.#received) return;
    this.#received = signal;
    if (this.#saved()) return;
    for (const cleanup of this.#abandon) {
      try {
        cleanup();
      } catch {
        // Leaving now matters more than a scratch file.
      }
    }
    const err = new InterruptedError(signal, false, `interrupted (${signal}) before anything was saved: ${this.unsaved}`);
    reportError(this.io, err, this.json);
    // Mid-transaction is safe: SQLite discards what did not commit, as after a crash.
    if (this.io.leave) return this.io.leave(exitCodeFor(err));
    // In-process (no process to end here): the signal's own default, ending this process.
    this.release();
    process.kill(process.pid, signal);
  }
}

/**
 * Stopped by a signal (Ctrl-C, kill, a closed terminal). `saved` tells whether the command's
 * change had already committed (and was reported) when it stopped.
 */
class InterruptedError extends BoxofficeError {
  constructor(
    readonly signal: string,
    readonly saved: boolean,
    message: string,
  ) {
    super('interrupted', message, undefined, { signal, saved });
  }
}
