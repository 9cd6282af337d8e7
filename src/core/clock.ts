/** Where the core gets the time, so expiry can be tested without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and for replaying a day. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date | string = '2027-01-01T12:00:00Z') {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(minutes: number): void {
    this.#now += minutes * 60_000;
  }
  set(time: Date | string): void {
    this.#now = new Date(time).getTime();
  }
}

/** How often a long-running process measures the database's clock again (the TUI, sync --follow). */
const REMEASURE_MS = 5 * 60_000;

/**
 * The database's clock, read through this computer's: Date.now() plus the offset last measured
 * from the server (PostgreSQL), so that a terminal whose own clock is wrong still dates payments
 * and expires holds by the one clock every terminal shares. It stays synchronous: the offset is
 * measured when the database opens, and again in the background every few minutes while the
 * process lives. It never runs backwards, so a new measurement cannot date a change before one
 * this process already dated.
 */
export class DatabaseClock implements Clock {
  #offset: number;
  #measuredAt = Date.now();
  #measuring = false;
  #last = -Infinity;
  constructor(
    offsetMs: number,
    private readonly measure?: () => Promise<number | null>,
  ) {
    this.#offset = offsetMs;
  }
  /** Milliseconds this computer's clock is behind the database's (negative: ahead). */
  get offsetMs(): number {
    return this.#offset;
  }
  now(): Date {
    const local = Date.now();
    if (this.measure && !this.#measuring && Math.abs(local - this.#measuredAt) > REMEASURE_MS) this.#remeasure();
    const t = Math.max(local + this.#offset, this.#last);
    this.#last = t;
    return new Date(t);
  }
  #remeasure(): void {
    this.#measuring = true;
    this.measure!()
      .then((offset) => {
        if (offset !== null) this.#offset = offset;
      })
      // An unreachable server keeps the last offset; the next command will say it is unreachable.
      .catch(() => {})
      .finally(() => {
        this.#measuring = false;
        this.#measuredAt = Date.now();
      });
  }
}

/**
 * The box office's clock moved by BOXOFFICE_NOW: it starts at the given instant and runs on at
 * the pace of `base` (the database's clock). Whether it may be used at all is decided by
 * src/core/rehearsal.ts; what it may date, by src/core/outbox/backdating.ts.
 */
export class MovedClock implements Clock {
  readonly #offset: number;
  constructor(
    readonly start: Date,
    private readonly base: Clock = systemClock,
  ) {
    this.#offset = start.getTime() - base.now().getTime();
  }
  now(): Date {
    return new Date(this.base.now().getTime() + this.#offset);
  }
}
