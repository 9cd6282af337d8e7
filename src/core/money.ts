// Money is integer minor units beside an ISO currency; never a float.
import { invalid } from './errors.js';

const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits as number;
    digitsCache.set(currency, digits);
  }
  return digits;
}

// Intl formats any three letters as a currency (XYZ included); the codes it lists are ISO 4217's
// currencies in use, without the testing, precious-metal and "no currency" codes (XTS, XAU, XXX).
let isoCodes: Set<string> | undefined;

/** Validates an ISO 4217 currency code (one that Intl lists), in any case; returns it upper-case. */
export function normaliseCurrency(input: string): string {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw invalid(`not a currency code: ${JSON.stringify(input)}`, 'use an ISO code such as EUR, GBP or USD');
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  if (!isoCodes.has(code)) throw invalid(`unknown currency: ${code}`, 'use an ISO 4217 code such as EUR, GBP or USD');
  return code;
}

/**
 * The most one amount (a price, a cash payment, a refund, a float) may be, in minor units of any
 * currency: 10,000,000.00 EUR, 1,000,000,000 JPY. An order of 1,000 tickets at it (10^12), and a
 * thousand such orders in one report (10^15), still add up exactly in a JavaScript number (below
 * 2^53 ≈ 9·10^15), where amounts near 2^53 lost a cent in a total of three.
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000;

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
  if (!(minor <= MAX_AMOUNT_MINOR)) {
    throw invalid(`${what} ${text} is more than the most one amount may be (${formatMajor(MAX_AMOUNT_MINOR, currency)} ${currency})`);
  }
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
