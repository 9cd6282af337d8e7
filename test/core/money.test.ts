import { exitCodeFor } from '../../src/cli/runtime/exit-codes.js';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, formatMajor, formatMoney, normaliseCurrency, parseMoney } from '../../src/core/money.js';
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
    expect(exitCodeFor(error)).toBe(2);
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

describe('the most one amount may be', () => {
  it('is 1,000,000,000 minor units in every currency: totals of 1,000 tickets at it stay exact', () => {
    expect(MAX_AMOUNT_MINOR).toBe(1_000_000_000);
    expect(Number.isSafeInteger(MAX_AMOUNT_MINOR * 1000 * 1000)).toBe(true);
    expect(parseMoney('10000000.00', 'EUR')).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoney('1000000000', 'JPY')).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoney('1000000.000', 'BHD')).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoney('000000000000000000000025.00', 'EUR')).toBe(2500);
  });

  it.each([
    ['10000000.01', 'EUR'],
    ['90071992547409.91', 'EUR'],
    ['99999999999999999999999', 'EUR'],
    ['1000000001', 'JPY'],
  ])('refuses %s %s with exit 2, naming the most', (text, currency) => {
    expect(() => parseMoney(text, currency, 'price')).toThrow(new RegExp(`price ${text.replace('.', '\\.')} is more than the most one amount may be`));
  });
});

describe('currencies are the ISO 4217 codes Intl knows', () => {
  it.each([
    ['eur', 'EUR'],
    [' JPY ', 'JPY'],
    ['bhd', 'BHD'],
  ])('%j is %s', (input, code) => {
    expect(normaliseCurrency(input)).toBe(code);
  });

  it.each(['XYZ', 'ABC', 'XXX', 'XAU', 'EURO', 'E', '€'])('refuses %j', (input) => {
    expect(() => normaliseCurrency(input)).toThrow(BoxofficeError);
  });
});
