import { exitCodeFor } from '../../src/cli/runtime/exit-codes.js';
import { describe, expect, it } from 'vitest';
import { parseLocalDateTime } from '../../src/core/time.js';
import { BoxofficeError } from '../../src/core/errors.js';

describe('dates are read strictly, in the years 1970 to 9999', () => {
  it.each([
    ['2027-03-01T20:00', 'Europe/Lisbon', '2027-03-01T20:00:00.000Z'],
    ['2027-07-01 20:00', 'Europe/Lisbon', '2027-07-01T19:00:00.000Z'],
    ['2027-03-01', 'UTC', '2027-03-01T00:00:00.000Z'],
    ['2027-03-01T20:00:30Z', 'Europe/Lisbon', '2027-03-01T20:00:30.000Z'],
    ['2027-03-01T20:00+01:00', 'UTC', '2027-03-01T19:00:00.000Z'],
    ['2027-03-01T20:00-0230', 'UTC', '2027-03-01T22:30:00.000Z'],
    ['2028-02-29T12:00', 'UTC', '2028-02-29T12:00:00.000Z'],
    ['1970-01-01T00:00Z', 'UTC', '1970-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59', 'UTC', '9999-12-31T23:59:59.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => {
    expect(parseLocalDateTime(text, zone)).toBe(iso);
  });

  it.each([
    '0000-01-01',
    '0099-01-01T20:00',
    '0100-01-01T20:00',
    '1969-12-31T23:59Z',
    '9999-12-31T23:00-05:00',
    '2027-02-29T12:00',
    '2027-02-30',
    '2027-13-01',
    '2027-03-01T24:00',
    '2027-03-01T20:60',
    '2027-03-01T20:00:60',
    '2027-03-01T20:00+24:00',
    '27-03-01',
    '+002027-03-01',
  ])('refuses %j with exit 2', (text) => {
    let error: unknown;
    try {
      parseLocalDateTime(text, 'America/New_York', 'start');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BoxofficeError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as Error).message).toMatch(/^start /);
  });
});
