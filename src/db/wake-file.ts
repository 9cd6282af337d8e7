// Waking processes that wait for SQLite's write lock as soon as it is free. SQLite cannot block
// a waiter until the lock is released, so waiters retry on a timer, and after each commit the
// lock sat idle until some waiter's timer fired: on a busy file most of a millisecond per sale.
// Here a process that commits while others queue writes one byte to `<database>-wake`, which the
// waiters watch (inotify on Linux), so the next one tries at once. Where watching a file does not
// work the timer still runs: waking early only saves time, it is never needed to be correct.
import fs from 'node:fs';

// Created private, never truncated, and never through a symbolic link: someone who can write to
// the database's folder must not be able to point the wake file at one of the user's files.
const OPEN_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;

export class WakeFile {
  #fd: number | undefined;
  #watcher: fs.FSWatcher | undefined;
  #broken = false;
  readonly #sleepers = new Set<() => void>();

  constructor(readonly path: string) {}

  /** Resolves when another process wakes us, or after `ms`, whichever comes first. */
  sleep(ms: number): Promise<void> {
    this.#watch();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#sleepers.add(done);
    });
  }

  /** Wakes every process sleeping on this file. */
  wake(): void {
    if (this.#broken) return;
    try {
      this.#fd ??= fs.openSync(this.path, OPEN_FLAGS, 0o600);
      fs.writeSync(this.#fd, 'w', 0);
    } catch {
      this.#broken = true; // a read-only folder, say: waiters fall back to their timers
    }
  }

  close(): void {
    this.#watcher?.close();
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#watcher = undefined;
    this.#fd = undefined;
  }

  #watch(): void {
    if (this.#watcher || this.#broken) return;
    try {
      fs.closeSync(fs.openSync(this.path, OPEN_FLAGS, 0o600));
      // Not persistent: a command that is done exits, watcher or not.
      this.#watcher = fs.watch(this.path, { persistent: false }, () => {
        for (const wakeUp of [...this.#sleepers]) wakeUp();
      });
      this.#watcher.on('error', () => {
        this.#broken = true;
        this.#watcher?.close();
      });
    } catch {
      this.#broken = true;
    }
  }
}
