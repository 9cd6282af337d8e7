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

/**
 * The box office's clock moved by BOXOFFICE_NOW: it starts at the given instant and runs on at
 * the real pace. Whether it may be used at all is decided by src/core/rehearsal.ts; what it may
 * date, by src/core/outbox/backdating.ts.
 */
export class MovedClock implements Clock {
  readonly #offset: number;
  constructor(readonly start: Date) {
    this.#offset = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.#offset);
  }
}
