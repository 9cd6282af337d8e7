// The row formats of `boxoffice import`, one zod schema per kind. docs/import-formats.md
// describes the same columns for people; test/import.test.ts checks the two agree.
import { z } from 'zod';
import { normaliseCurrency } from '../money.js';
import { MAX_GA_CAPACITY, sectionNameProblem, validateTimezone } from '../venues/venues.js';
import { MAX_ORDER_LIMIT } from '../events/events.js';
import { tierNameProblem } from '../events/tiers.js';
import { normaliseEmail } from '../customers/customers.js';
import { controlProblem } from '../text.js';

export const IMPORT_KINDS = ['venues', 'seatmap', 'events', 'prices', 'leads'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : v);

/** A text cell of plain one-line text (src/core/text.ts); empty counts as missing. */
function text(max: number, what = 'text') {
  return z.preprocess(
    (v) => (blank(v) ? undefined : trimmed(v)),
    z
      .string({ error: (iss) => (iss.input === undefined ? 'is required' : `must be ${what}`) })
      .max(max, { message: `is longer than ${max} characters`, abort: true })
      .superRefine((s, ctx) => {
        const problem = controlProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
      }),
  );
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (blank(v) ? undefined : v), schema.optional());
}

const refine = (check: (s: string) => unknown) => (s: string, ctx: z.RefinementCtx) => {
  try {
    check(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
};

function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (v) => (blank(v) ? undefined : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: (iss) => (iss.input === undefined ? 'is required' : `must be a whole number, not ${JSON.stringify(iss.input)}`) })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`),
  );
}

const coordinate = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
  z.number({ error: (iss) => `must be a number such as 12.5, not ${JSON.stringify(iss.input)}` }).finite(),
);

const yesNo = z.preprocess(
  (v) => {
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    const s = String(v).trim().toLowerCase();
    if (['yes', 'y', 'true', '1', 'x'].includes(s)) return true;
    if (['no', 'n', 'false', '0'].includes(s)) return false;
    return v;
  },
  z.boolean({ error: (iss) => `must be yes or no, not ${JSON.stringify(iss.input)}` }),
);

/**
 * Money in major units as people write it: 25 or 25.00; the currency's decimals and the most an
 * amount may be are checked per row. A JSON number -0 is negative as written (String(-0) is "0").
 */
const money = z.preprocess(
  (v) => (blank(v) ? undefined : Object.is(v, -0) ? '-0' : trimmed(v)),
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be an amount such as 25.00') })
    .regex(/^\d+(\.\d+)?$/, 'must be a plain non-negative amount such as 25 or 25.00 (no symbols, signs or thousands separators)'),
);

const localTime = text(40).refine((s) => /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s), {
  message: 'must be a date and time such as 2027-03-01T20:00',
});

/** A service's rule worded after the field (sectionNameProblem…): its problem is the cell's. */
const problem = (check: (s: string) => string | undefined) => (s: string, ctx: z.RefinementCtx) => {
  const message = check(s);
  if (message) ctx.addIssue({ code: 'custom', message });
};

const sectionName = text(100).superRefine(problem(sectionNameProblem));
const externalId = optional(text(200));
const reference = text(200, 'a name or id');

export const venueRow = z.object({
  external_id: externalId,
  name: text(200),
  city: text(200),
  timezone: optional(text(100).superRefine(refine(validateTimezone))),
});

export const seatmapRow = z
  .object({
    venue: optional(reference),
    section: sectionName,
    row: optional(text(10).refine((s) => /^[A-Za-z0-9]+$/.test(s), { message: 'must be letters or digits, such as A or 12' })),
    seat: optional(wholeNumber(1, 100_000)),
    x: optional(coordinate),
    y: optional(coordinate),
    zone: optional(text(50)),
    accessible: optional(yesNo),
    obstructed: optional(yesNo),
    capacity: optional(wholeNumber(1, MAX_GA_CAPACITY)),
  })
  .superRefine((r, ctx) => {
    if (r.capacity !== undefined) {
      for (const f of ['row', 'seat', 'x', 'y', 'accessible', 'obstructed'] as const) {
        if (r[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: 'a general-admission row (with a capacity) has no row, seat, x, y or flags' });
      }
      return;
    }
    if (r.row === undefined && r.seat === undefined) {
      ctx.addIssue({ code: 'custom', path: ['row'], message: 'a reserved seat needs a row and a seat number (or give a capacity for general admission)' });
    } else if (r.row === undefined) ctx.addIssue({ code: 'custom', path: ['row'], message: 'is required for a reserved seat' });
    else if (r.seat === undefined) ctx.addIssue({ code: 'custom', path: ['seat'], message: 'is required for a reserved seat' });
  });

export const eventRow = z.object({
  external_id: externalId,
  name: text(200),
  venue: reference,
  starts: localTime,
  ends: optional(localTime),
  type: optional(text(50)),
  currency: optional(text(3, 'a currency code').superRefine(refine(normaliseCurrency))),
  order_limit: optional(wholeNumber(1, MAX_ORDER_LIMIT)),
});

export const priceRow = z.object({
  event: reference,
  tier: text(100).superRefine(problem(tierNameProblem)),
  zone: optional(text(50)),
  price: money,
});

export const leadRow = z.object({
  external_id: externalId,
  email: text(254).superRefine(refine(normaliseEmail)),
  name: optional(text(200)),
  source: optional(text(100)),
  event: optional(reference),
  consent: optional(yesNo),
});

export type VenueRow = z.infer<typeof venueRow>;
export type SeatmapRow = z.infer<typeof seatmapRow>;
export type EventImportRow = z.infer<typeof eventRow>;
export type PriceRow = z.infer<typeof priceRow>;
export type LeadRow = z.infer<typeof leadRow>;

export interface KindFormat {
  schema: z.ZodType;
  columns: readonly string[];
  required: readonly string[];
}

export const FORMATS: Record<ImportKind, KindFormat> = {
  venues: { schema: venueRow, columns: ['external_id', 'name', 'city', 'timezone'], required: ['name', 'city'] },
  seatmap: {
    schema: seatmapRow,
    columns: ['venue', 'section', 'row', 'seat', 'x', 'y', 'zone', 'accessible', 'obstructed', 'capacity'],
    required: ['section'],
  },
  events: {
    schema: eventRow,
    columns: ['external_id', 'name', 'venue', 'starts', 'ends', 'type', 'currency', 'order_limit'],
    required: ['name', 'venue', 'starts'],
  },
  prices: { schema: priceRow, columns: ['event', 'tier', 'zone', 'price'], required: ['event', 'tier', 'price'] },
  leads: { schema: leadRow, columns: ['external_id', 'email', 'name', 'source', 'event', 'consent'], required: ['email'] },
};
