// Times are stored as UTC instants and shown in the venue's time zone.
import { invalid } from './errors.js';

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

/**
 * Reads `2027-03-01T20:00` (or `2027-03-01 20:00`) as wall-clock time in `timeZone`, or an
 * ISO instant with `Z`/offset as given; returns the UTC instant as ISO.
 */
export function parseLocalDateTime(input: string, timeZone: string, what = 'time'): string {
  const text = input.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) throw invalid(`${what} must look like 2027-03-01T20:00, not ${JSON.stringify(input)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(wall);
  if (check.getUTCMonth() !== fields[1] - 1 || check.getUTCDate() !== fields[2] || fields[3] > 23 || fields[4] > 59) {
    throw invalid(`${what} is not a real date and time: ${JSON.stringify(input)}`);
  }
  if (zone) {
    const instant = new Date(text.replace(' ', 'T'));
    if (Number.isNaN(instant.getTime())) throw invalid(`${what} is not a valid time: ${JSON.stringify(input)}`);
    return instant.toISOString();
  }
  // Two passes settle the offset across a daylight-saving change.
  let utc = wall - offsetMinutes(wall, timeZone) * 60_000;
  utc = wall - offsetMinutes(utc, timeZone) * 60_000;
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
