// Seat references as people type them: `A-12`, `Stalls:A-12`, comma-separated lists.
import { invalid } from '../errors.js';
import { foldKey } from '../../db/fold.js';

export interface SeatRef {
  section?: string;
  row: string;
  number: number;
  /** As typed, for messages. */
  text: string;
}

/** Parses `A-12,A-13` or `Stalls:A-12`; a malformed reference exits 2. */
export function parseSeatRefs(input: string): SeatRef[] {
  const parts = input.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw invalid('no seats given', 'name seats as ROW-NUMBER, e.g. --seats A-1,A-2 (or SECTION:ROW-NUMBER)');
  const refs = parts.map((text) => {
    const m = /^(?:([^:]+):)?\s*([^:\s][^:]*?)\s*-\s*(\d+)$/.exec(text);
    if (!m) throw invalid(`malformed seat ${JSON.stringify(text)}`, 'name seats as ROW-NUMBER, e.g. A-12, or SECTION:ROW-NUMBER, e.g. Stalls:A-12');
    const number = Number(m[3]);
    if (!Number.isSafeInteger(number) || number < 1) throw invalid(`malformed seat ${JSON.stringify(text)}: seat numbers start at 1`);
    return { section: m[1]?.trim(), row: m[2], number, text };
  });
  const seen = new Set<string>();
  for (const r of refs) {
    const key = `${foldKey(r.section ?? '')}:${foldKey(r.row)}-${r.number}`;
    if (seen.has(key)) throw invalid(`seat ${r.text} is listed twice`);
    seen.add(key);
  }
  return refs;
}

/** The reference `--seats` accepts for a seat, qualified by section only where needed. */
export function seatLabel(seat: { section: string; row: string; number: number }, qualify: boolean): string {
  return qualify ? `${seat.section}:${seat.row}-${seat.number}` : `${seat.row}-${seat.number}`;
}
