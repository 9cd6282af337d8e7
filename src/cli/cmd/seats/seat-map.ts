// The seat map drawn for a terminal: status by symbol as well as colour, rows split into bands
// when a section is wider than the screen.
import type { GaSectionView, ReservedSectionTotals, SeatRowStrip, SeatStatus } from '../../../core/inventory/availability.js';
import { paint, type IO, type Style } from '../../runtime/io.js';
import { displayWidth, oneLine } from '../../runtime/output.js';

export const SEAT_SYMBOLS: Record<SeatStatus, { symbol: string; style: Style; label: string }> = {
  available: { symbol: '○', style: 'green', label: 'free' },
  held: { symbol: '◐', style: 'yellow', label: 'held' },
  sold: { symbol: '●', style: 'red', label: 'sold' },
  blocked: { symbol: '✕', style: 'grey', label: 'blocked' },
};

/** A section as the map draws it: counts, and for a reserved one its rows. */
export type DrawnSection = GaSectionView | (ReservedSectionTotals & { rows: SeatRowStrip[] });

function summary(s: DrawnSection): string {
  const parts = [`${s.available} free`, `${s.held} held`, `${s.sold} sold`];
  if (s.kind === 'reserved' && s.blocked) parts.push(`${s.blocked} blocked`);
  return `${s.capacity} ${s.kind === 'ga' ? 'places' : 'seats'}: ${parts.join(', ')}`;
}

/** The largest of many numbers (-Infinity for none, as Math.max), without spreading them as arguments. */
function largest(values: Iterable<number>): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

function drawReserved(io: IO, rows: SeatRowStrip[]): string[] {
  const labels = rows.map((r) => oneLine(r.row));
  const labelWidth = Math.max(3, ...labels.map(displayWidth)) + 1;
  // Two columns a seat; what does not fit the terminal goes into the next band.
  // Room for the row label in front and the seat-number range ("  101–140") behind.
  const digits = String(largest(rows.map((r) => largest(r.numbers)))).length;
  const perBand = Math.max(5, Math.floor((io.columns - labelWidth - 3 - (2 * digits + 1)) / 2));
  const lines: string[] = [];
  const widest = largest(rows.map((r) => r.statuses.length));
  const stageWidth = Math.min(widest, perBand) * 2 - 1;
  const stage = ' STAGE ';
  const side = Math.max(2, Math.floor((stageWidth - stage.length) / 2));
  lines.push(paint(io, 'dim', `${' '.repeat(labelWidth)}${'─'.repeat(side)}${stage}${'─'.repeat(side)}`));
  const cell = Object.fromEntries(Object.entries(SEAT_SYMBOLS).map(([status, look]) => [status, paint(io, look.style, look.symbol)])) as Record<SeatStatus, string>;
  // Each row's cells once (shared strings), then a band's cells joined at one go.
  const cells = rows.map((r) => r.statuses.map((status) => cell[status]));
  for (let start = 0; start < widest; start += perBand) {
    if (widest > perBand) lines.push(paint(io, 'dim', `  seats ${start + 1}–${Math.min(widest, start + perBand)} of each row`));
    for (const [i, { numbers }] of rows.entries()) {
      const end = Math.min(numbers.length, start + perBand);
      if (end <= start) continue;
      lines.push(`${' '.repeat(labelWidth - 1 - displayWidth(labels[i]))}${labels[i]} ${cells[i].slice(start, end).join(' ')}  ${paint(io, 'dim', `${numbers[start]}–${numbers[end - 1]}`)}`);
    }
  }
  return lines;
}

export function drawSeatMap(io: IO, sections: DrawnSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`${paint(io, 'bold', oneLine(s.name))}  ${paint(io, 'dim', s.kind === 'ga' ? 'general admission' : 'reserved')}  ${summary(s)}`);
    if (s.kind === 'reserved') out.push(...drawReserved(io, s.rows));
    out.push('');
  }
  out.push(
    `Legend: ${Object.values(SEAT_SYMBOLS)
      .map((l) => `${paint(io, l.style, l.symbol)} ${l.label}`)
      .join('   ')}`,
  );
  return `${out.join('\n')}\n`;
}
