import { describe, expect, it } from 'vitest';
import { formatMajor, formatMoney, parseMoney } from '../../src/core/money.js';
import { BoxofficeError } from '../../src/core/errors.js';

describe('money on the command line is major units, stored as integer minor units', () => {
  it.each([
    ['50', 'EUR', 5000],
    ['50.00', 'EUR', 5000],
    ['7.5', 'EUR', 750],
    ['0.01', 'EUR', 1],
    ['1200', 'JPY', 1200],
    ['1.234', 'BHD', 1234],
  ])('%s %s is %d minor units', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toBe(minor);
  });

  it.each(['-5', '+5', 'abc', '10.001', '1,000.00', '€10', '10 EUR', '', '.5', '5.', '1e3', '0x10'])('refuses %j with exit 2', (text) => {
    let error: unknown;
    try {
      parseMoney(text, 'EUR');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BoxofficeError);
    expect((error as BoxofficeError).exitCode).toBe(2);
  });

  it('refuses decimals a currency does not have', () => {
    expect(() => parseMoney('10.5', 'JPY')).toThrow(/more decimals than JPY allows/);
  });

  it('formats for people and for files', () => {
    expect(formatMoney(4000, 'EUR')).toBe('€40.00');
    expect(formatMajor(4005, 'EUR')).toBe('40.05');
    expect(formatMajor(1200, 'JPY')).toBe('1200');
  });
});
