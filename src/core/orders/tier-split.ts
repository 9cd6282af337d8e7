// `--tier Adult` for every seat, or `--tier Adult=2,Child=1` assigned in seat order.
import { invalid } from '../errors.js';
import { foldKey } from '../../db/fold.js';

export interface TierCount {
  name: string;
  /** Undefined: every seat. */
  count?: number;
}

export function parseTierSpec(input: string): TierCount[] {
  const parts = input.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw invalid('no tier given', 'e.g. --tier Adult or --tier Adult=2,Child=1');
  const specs = parts.map((part) => {
    const m = /^([^=]+?)\s*(?:=\s*(\S+))?$/.exec(part);
    if (!m) throw invalid(`malformed tier ${JSON.stringify(part)}`, 'e.g. --tier Adult or --tier Adult=2,Child=1');
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

/** The tier name for each of `seatCount` seats, in order; counts must add up to the seats. */
export function assignTiers(specs: TierCount[], seatCount: number): string[] {
  if (specs.length === 1 && specs[0].count === undefined) return Array.from({ length: seatCount }, () => specs[0].name);
  const total = specs.reduce((n, s) => n + (s.count ?? 0), 0);
  if (total !== seatCount) {
    throw invalid(`the tier counts add up to ${total} but ${seatCount} seat${seatCount === 1 ? ' is' : 's are'} chosen`);
  }
  return specs.flatMap((s) => Array.from({ length: s.count ?? 0 }, () => s.name));
}
