// Times are stored as UTC instants and shown in the venue's time zone.
import { invalid, type BoxofficeError } from './errors.js';

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(timeZone, format);
  }
  return format;
}

/** The offset of `timeZone` from UTC, in minutes, at the instant `utcMs`. */
function offsetMinutes(utcMs: number, timeZone: string): number {
  const parts = partsFormat(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** The instants a time may be: the years 1970 to 9999 (UTC), which ISO strings sort and compare as text. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * Milliseconds since 1970 of a wall-clock date and time read as UTC, or NaN if there is no such
 * date (2027-02-30, 24:00). Date.UTC reads the years 0–99 as 1900–1999, so the year is set apart.
 */
function wallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real && h <= 23 && mi <= 59 && s <= 59 ? date.getTime() : NaN;
}

/**
 * A value given for `field` (a domain name: `starts`, `from`, `float`) that cannot be read, said
 * `${field} ${problem}`; a front that takes it under another name (a flag) words it with the facts.
 */
export function valueInvalid(field: string, problem: string): BoxofficeError {
  return invalid(`${field} ${problem}`).because('value_invalid', { field, problem });
}

/**
 * Reads `2027-03-01T20:00` (or `2027-03-01 20:00`) as wall-clock time in `timeZone`, or an
 * ISO instant with `Z`/offset as given; returns the UTC instant as ISO. Only real dates in the
 * years 1970 to 9999 are taken: JavaScript's own parsing would read 0099 as 1999.
 */
export function parseLocalDateTime(input: string, timeZone: string, what = 'time'): string {
  const text = input.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/.exec(text);
  if (!m) throw valueInvalid(what, `must look like 2027-03-01T20:00, not ${JSON.stringify(input)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', z, sign, oh, om] = m;
  const wall = wallClock(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wall) || Number(oh) > 23 || Number(om) > 59) {
    throw valueInvalid(what, `is not a real date and time: ${JSON.stringify(input)}`);
  }
  const outOfRange = () => valueInvalid(what, `must be in the years 1970 to 9999, not ${JSON.stringify(input)}`);
  if (Number(y) < 1970) throw outOfRange();
  let utc: number;
  if (z) utc = wall;
  else if (sign) utc = wall - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  else {
    // Two passes settle the offset across a daylight-saving change.
    utc = wall - offsetMinutes(wall, timeZone) * 60_000;
    utc = wall - offsetMinutes(utc, timeZone) * 60_000;
  }
  if (!(utc >= EARLIEST && utc <= LATEST)) throw outOfRange();
  return new Date(utc).toISOString();
}

// Every order of an event shows the event's start: the same few instants, formatted again and again.
const formatted = new Map<string, string>();

/** ISO 8601 with the zone's offset, e.g. `2027-03-01T20:00:00+00:00`. */
export function formatInZone(isoUtc: string, timeZone: string): string {
  const key = `${isoUtc}|${timeZone}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= 1000) formatted.clear();
    formatted.set(key, (text = formatUncached(isoUtc, timeZone)));
  }
  return text;
}

function formatUncached(isoUtc: string, timeZone: string): string {
  const ms = new Date(isoUtc).getTime();
  const offset = offsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Human time in the venue's zone, e.g. `Mon 1 Mar 2027, 20:00`. */
export function humanTime(isoUtc: string, timeZone: string, locale = 'en-GB'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(isoUtc));
}

/** `--from`/`--to` filters: a date or date-time in the given zone (UTC by default). */
export function parseFilterTime(input: string, what: string, timeZone = 'UTC'): string {
  return parseLocalDateTime(input, timeZone, what);
}
