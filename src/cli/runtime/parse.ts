// The command line's grammar for a sale: `--seats A-1,Stalls:A-2`, `--tier Adult=2,Child=1`,
// counts and amounts typed as text. The core takes the parsed values; a malformed one is refused
// here (exit 2) in the words the command line always used.
import { invalid } from '../../core/errors.js';
import { foldKey } from '../../app/database.js';
import { parseMoney } from '../../core/money.js';
import { paymentMethod, type PaymentRequest } from '../../core/orders/payment.js';
import type { SeatRef } from '../../core/inventory/seat-refs.js';
import type { TierCount } from '../../core/orders/tier-split.js';
import type { SeatSelection } from '../../core/orders/selection.js';
import { normaliseTicketCode } from '../../core/codes.js';

/** A whole number of at least 1 typed for `what` (a flag's name), or undefined when not given. */
export function count(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw invalid(`${what} must be a whole number of at least 1, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** Parses `A-12,A-13` or `Stalls:A-12`; a malformed reference exits 2. */
export function parseSeatRefs(input: string): SeatRef[] {
  const parts = input
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw invalid('no seats given', 'name seats as ROW-NUMBER, e.g. --seats A-1,A-2 (or SECTION:ROW-NUMBER)');
  return parts.map((text) => {
    const m = /^(?:([^:]+):)?\s*([^:\s][^:]*?)\s*-\s*(\d+)$/.exec(text);
    if (!m) throw invalid(`malformed seat ${JSON.stringify(text)}`, 'name seats as ROW-NUMBER, e.g. A-12, or SECTION:ROW-NUMBER, e.g. Stalls:A-12');
    const number = Number(m[3]);
    if (!Number.isSafeInteger(number) || number < 1) throw invalid(`malformed seat ${JSON.stringify(text)}: seat numbers start at 1`);
    const section = m[1]?.trim();
    return section === undefined ? { row: m[2], number, text } : { section, row: m[2], number, text };
  });
}

const TIER_EXAMPLE = 'e.g. --tier Adult or --tier Adult=2,Child=1';

/** `--tier Adult` for every seat, or `--tier Adult=2,Child=1` assigned in seat order. */
export function parseTierSpec(input: string): TierCount[] {
  const parts = input
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw invalid('no tier given', TIER_EXAMPLE);
  const specs = parts.map((part): TierCount => {
    const m = /^([^=]+?)\s*(?:=\s*(\S+))?$/.exec(part);
    if (!m) throw invalid(`malformed tier ${JSON.stringify(part)}`, TIER_EXAMPLE);
    if (m[2] === undefined) return { name: m[1] };
    if (!/^\d+$/.test(m[2]) || Number(m[2]) < 1) throw invalid(`tier count for ${m[1]} must be a whole number of at least 1, not ${JSON.stringify(m[2])}`);
    return { name: m[1], count: Number(m[2]) };
  });
  if (specs.length > 1 && specs.some((s) => s.count === undefined)) {
    throw invalid('with several tiers, give each a count: --tier Adult=2,Child=1');
  }
  const names = new Set(specs.map((s) => foldKey(s.name)));
  if (names.size !== specs.length) throw invalid('a tier is named twice in --tier');
  return specs;
}

export interface SelectionFlags {
  seats?: string;
  best?: string;
  quantity?: string;
  section?: string;
}

/** Which places the flags ask for: exactly one of --seats, --best N, --quantity N. */
export function parseSelection(flags: SelectionFlags): SeatSelection {
  const best = count(flags.best, '--best');
  const quantity = count(flags.quantity, '--quantity');
  const given = [flags.seats !== undefined, best !== undefined, quantity !== undefined].filter(Boolean).length;
  if (given !== 1) throw invalid('choose seats with exactly one of --seats, --best N or --quantity N');
  const seats = flags.seats === undefined ? undefined : parseSeatRefs(flags.seats);
  return { seats, best, quantity, section: flags.section };
}

export interface PaymentFlags {
  pay: string;
  tendered?: string;
  cardRef?: string;
  ref?: string;
}

/**
 * The payment the flags describe. The amount tendered is in the order's currency, which only the
 * database knows: `currency` is asked for only when one was typed.
 */
export async function parsePayment(flags: PaymentFlags, currency: () => Promise<string>): Promise<PaymentRequest> {
  const method = paymentMethod(flags.pay);
  if (flags.tendered !== undefined && method !== 'cash') throw invalid('--tendered is for cash payments');
  if (flags.cardRef !== undefined && method !== 'card') throw invalid('--card-ref is for card payments');
  if (flags.ref !== undefined && method !== 'external') throw invalid('--ref is for external payments');
  switch (method) {
    case 'cash':
      return flags.tendered === undefined ? { method } : { method, tendered: parseMoney(flags.tendered, await currency(), 'tendered') };
    case 'card':
      return { method, cardRef: flags.cardRef ?? '' };
    case 'external':
      return { method, ref: flags.ref ?? '' };
    case 'comp':
      return { method };
  }
}

/** `--tickets 0K3…,7QX…`: ticket codes as the core reads them. */
export function parseTicketCodes(input: string): string[] {
  const codes = input
    .split(',')
    .map((c) => normaliseTicketCode(c))
    .filter(Boolean);
  if (codes.length === 0) throw invalid('no ticket codes given');
  return codes;
}
