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

/** A clock fixed at, then running on from, the given instant (BOXOFFICE_NOW, for rehearsals and tests). */
export function clockFrom(start: string | undefined): Clock {
  if (!start) return systemClock;
  const base = new Date(start).getTime();
  if (Number.isNaN(base)) throw new Error(`BOXOFFICE_NOW is not a date: ${start}`);
  const offset = base - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
