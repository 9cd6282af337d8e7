// Stopping on Ctrl-C or a kill the way shells and supervisors expect: the command finishes what
// it must, says how far it got, and the process exits 128 + the signal's number (130, 143).
import os from 'node:os';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Thrown by a command that stopped cleanly on a signal; it has already said what it did. */
export class StoppedBySignal extends Error {
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal}`);
  }
  get exitCode(): number {
    return 128 + os.constants.signals[this.signal];
  }
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM; returns a function that stops listening. Only the
 * first is caught: a second Ctrl-C ends the process at once, as a person pressing it again expects.
 */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  const handler = (signal: StopSignal) => {
    process.off('SIGINT', handler).off('SIGTERM', handler);
    stop(signal);
  };
  process.once('SIGINT', handler).once('SIGTERM', handler);
  return () => process.off('SIGINT', handler).off('SIGTERM', handler);
}

/** Thrown by a command that has said all it had to and ends with this exit code (the TUI closed by a signal). */
export class LeaveWith extends Error {
  constructor(readonly exitCode: number) {
    super(`leaving with exit code ${exitCode}`);
  }
}
