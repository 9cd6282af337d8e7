// Seat references: a row and a number, and the section where sections share row names.
import { invalid } from '../errors.js';
import { foldKey } from '../../db/fold.js';

export interface SeatRef {
  section?: string;
  row: string;
  number: number;
  /** As the person typed it, for messages; else it is said as `Stalls:A-12` or `A-12`. */
  text?: string;
}

/** How a message names the seat asked for. */
export function seatText(ref: SeatRef): string {
  return ref.text ?? `${ref.section !== undefined ? `${ref.section}:` : ''}${ref.row}-${ref.number}`;
}

/** Checks references before any database work: at least one, each a seat that can exist, none twice. */
export function checkSeatRefs(refs: readonly SeatRef[]): SeatRef[] {
  if (refs.length === 0) throw invalid('no seats given');
  const seen = new Set<string>();
  for (const r of refs) {
    if (!Number.isSafeInteger(r.number) || r.number < 1) throw invalid(`malformed seat ${JSON.stringify(seatText(r))}: seat numbers start at 1`);
    if (!r.row?.trim()) throw invalid(`malformed seat ${JSON.stringify(seatText(r))}: it has no row`);
    const key = `${foldKey(r.section ?? '')}:${foldKey(r.row)}-${r.number}`;
    if (seen.has(key)) throw invalid(`seat ${seatText(r)} is listed twice`);
    seen.add(key);
  }
  return [...refs];
}

/** The reference a seat is asked for by, qualified by section only where needed. */
export function seatLabel(seat: { section: string; row: string; number: number }, qualify: boolean): string {
  return qualify ? `${seat.section}:${seat.row}-${seat.number}` : `${seat.row}-${seat.number}`;
}
