// The seat map drawn for a terminal: status by symbol as well as colour, rows split into bands
// when a section is wider than the screen.
import type { ReservedSectionView, SectionAvailability, SeatStatus } from '../core/inventory/availability.js';
import { paint, type IO, type Style } from './io.js';

export const SEAT_SYMBOLS: Record<SeatStatus, { symbol: string; style: Style; label: string }> = {
  available: { symbol: '○', style: 'green', label: 'free' },
  held: { symbol: '◐', style: 'yellow', label: 'held' },
  sold: { symbol: '●', style: 'red', label: 'sold' },
  blocked: { symbol: '✕', style: 'grey', label: 'blocked' },
};

function summary(s: SectionAvailability): string {
  const parts = [`${s.available} free`, `${s.held} held`, `${s.sold} sold`];
  if (s.kind === 'reserved' && s.blocked) parts.push(`${s.blocked} blocked`);
  return `${s.capacity} ${s.kind === 'ga' ? 'places' : 'seats'}: ${parts.join(', ')}`;
}

function drawReserved(io: IO, section: ReservedSectionView): string[] {
  const rows = new Map<string, ReservedSectionView['seats']>();
  for (const seat of section.seats) {
    const list = rows.get(seat.row);
    if (list) list.push(seat);
    else rows.set(seat.row, [seat]);
  }
  const labelWidth = Math.max(3, ...[...rows.keys()].map((r) => r.length)) + 1;
  // Two columns a seat; what does not fit the terminal goes into the next band.
  // Room for the row label in front and the seat-number range ("  101–140") behind.
  const digits = String(Math.max(...section.seats.map((s) => s.number))).length;
  const perBand = Math.max(5, Math.floor((io.columns - labelWidth - 3 - (2 * digits + 1)) / 2));
  const lines: string[] = [];
  const widest = Math.max(...[...rows.values()].map((r) => r.length));
  const stageWidth = Math.min(widest, perBand) * 2 - 1;
  const stage = ' STAGE ';
  const side = Math.max(2, Math.floor((stageWidth - stage.length) / 2));
  lines.push(paint(io, 'dim', `${' '.repeat(labelWidth)}${'─'.repeat(side)}${stage}${'─'.repeat(side)}`));
  for (let start = 0; start < widest; start += perBand) {
    if (widest > perBand) lines.push(paint(io, 'dim', `  seats ${start + 1}–${Math.min(widest, start + perBand)} of each row`));
    for (const [row, seats] of rows) {
      const band = seats.slice(start, start + perBand);
      if (band.length === 0) continue;
      const cells = band.map((s) => {
        const look = SEAT_SYMBOLS[s.status];
        return paint(io, look.style, look.symbol);
      });
      lines.push(`${row.padStart(labelWidth - 1)} ${cells.join(' ')}  ${paint(io, 'dim', `${band[0].number}–${band[band.length - 1].number}`)}`);
    }
  }
  return lines;
}

export function drawSeatMap(io: IO, sections: SectionAvailability[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`${paint(io, 'bold', s.name)}  ${paint(io, 'dim', s.kind === 'ga' ? 'general admission' : 'reserved')}  ${summary(s)}`);
    if (s.kind === 'reserved') out.push(...drawReserved(io, s));
    out.push('');
  }
  out.push(
    `Legend: ${Object.values(SEAT_SYMBOLS)
      .map((l) => `${paint(io, l.style, l.symbol)} ${l.label}`)
      .join('   ')}`,
  );
  return `${out.join('\n')}\n`;
}
