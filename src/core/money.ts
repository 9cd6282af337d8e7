// Money is integer minor units beside an ISO currency; never a float.
import { invalid } from './errors.js';

const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Validates an ISO 4217 code (three letters that Intl knows). */
export function normaliseCurrency(input: string): string {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw invalid(`not a currency code: ${JSON.stringify(input)}`, 'use an ISO code such as EUR, GBP or USD');
  try {
    currencyDigits(code);
  } catch {
    throw invalid(`unknown currency: ${code}`);
  }
  return code;
}

/**
 * Parses an amount in major units as people type it ("50", "50.00", "7.5") into minor units.
 * Negatives, signs, symbols, thousands separators and more decimals than the currency has are refused.
 */
export function parseMoney(input: string, currency: string, what = 'amount'): number {
  const text = String(input).trim();
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw invalid(`${what} must be a plain non-negative number such as 25 or 25.00, not ${JSON.stringify(input)}`);
  }
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw invalid(`${what} ${text} has more decimals than ${currency} allows (${digits})`);
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw invalid(`${what} ${text} is too large`);
  return minor;
}

/** Formats minor units for people, e.g. 4000 EUR → "€40.00". */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}

/** Formats minor units as a plain major-unit number, e.g. 4000 EUR → "40.00" (for CSV and input echo). */
export function formatMajor(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, '0');
  return `${sign}${whole}.${fraction}`;
}
