// Tiers for the places of an order: one tier for every place, or counts assigned in seat order.
import { invalid } from '../errors.js';
import { foldKey } from '../../db/fold.js';

export interface TierCount {
  name: string;
  /** Undefined: every seat. */
  count?: number;
}

/** Checks tier counts before any database work: with several tiers each has a count, none twice. */
export function checkTierCounts(specs: readonly TierCount[]): TierCount[] {
  if (specs.length === 0) throw invalid('no tier given');
  for (const s of specs) {
    if (!s.name?.trim()) throw invalid('a tier has no name');
    if (s.count !== undefined && (!Number.isSafeInteger(s.count) || s.count < 1))
      throw invalid(`tier count for ${s.name} must be a whole number of at least 1, not ${JSON.stringify(String(s.count))}`);
  }
  if (specs.length > 1 && specs.some((s) => s.count === undefined)) throw invalid('with several tiers, give each a count').because('tier_counts_missing', {});
  const names = new Set(specs.map((s) => foldKey(s.name)));
  if (names.size !== specs.length) throw invalid('a tier is named twice').because('tier_named_twice', {});
  return [...specs];
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
