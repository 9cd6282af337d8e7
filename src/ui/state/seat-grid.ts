// A reserved section as a grid of rows, a cursor on it, and the window of it that is drawn.
// Only the window is ever rendered, so a 20,000-seat section costs what a small one does.
import type { ReservedSectionView, SeatStatus } from '../../core/inventory/availability.js';

export interface GridSeat {
  /** The reference `holdSeats` takes, e.g. `A-4` or `Stalls:A-4`. */
  label: string;
  row: string;
  number: number;
  status: SeatStatus;
  zone: string | null;
  accessible: boolean;
  obstructed: boolean;
  /** Column on the grid: the seat number less the section's lowest. */
  col: number;
}

export interface GridRow {
  label: string;
  seats: GridSeat[];
}

export interface SeatGrid {
  sectionId: number;
  name: string;
  rows: GridRow[];
  /** Columns from the lowest to the highest seat number. */
  columns: number;
}

export interface Cursor {
  row: number;
  seat: number;
}

export interface Scroll {
  top: number;
  left: number;
}

export function buildGrid(section: ReservedSectionView): SeatGrid {
  let min = Infinity;
  let max = -Infinity;
  for (const s of section.seats) {
    if (s.number < min) min = s.number;
    if (s.number > max) max = s.number;
  }
  const rows: GridRow[] = [];
  let current: GridRow | undefined;
  for (const s of section.seats) {
    if (!current || current.label !== s.row) rows.push((current = { label: s.row, seats: [] }));
    current.seats.push({ label: s.seat, row: s.row, number: s.number, status: s.status, zone: s.zone, accessible: s.accessible, obstructed: s.obstructed, col: s.number - min });
  }
  return { sectionId: section.id, name: section.name, rows, columns: rows.length ? max - min + 1 : 0 };
}

export function seatAt(grid: SeatGrid | null | undefined, cursor: Cursor): GridSeat | undefined {
  return grid?.rows[cursor.row]?.seats[cursor.seat];
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** The seat of `row` whose column is nearest `col`. */
function nearest(row: GridRow, col: number): number {
  let best = 0;
  for (let i = 0; i < row.seats.length; i++) {
    if (Math.abs(row.seats[i].col - col) < Math.abs(row.seats[best].col - col)) best = i;
  }
  return best;
}

export type Move = 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown';

export function moveCursor(grid: SeatGrid, cursor: Cursor, move: Move, page: number): Cursor {
  if (grid.rows.length === 0) return cursor;
  const here = grid.rows[cursor.row] ?? grid.rows[0];
  const col = here.seats[cursor.seat]?.col ?? 0;
  const vertical = (delta: number): Cursor => {
    const row = clamp(cursor.row + delta, 0, grid.rows.length - 1);
    return { row, seat: nearest(grid.rows[row], col) };
  };
  switch (move) {
    case 'left':
      return { row: cursor.row, seat: clamp(cursor.seat - 1, 0, here.seats.length - 1) };
    case 'right':
      return { row: cursor.row, seat: clamp(cursor.seat + 1, 0, here.seats.length - 1) };
    case 'up':
      return vertical(-1);
    case 'down':
      return vertical(1);
    case 'pageUp':
      return vertical(-Math.max(1, page));
    case 'pageDown':
      return vertical(Math.max(1, page));
  }
}

/** The first visible index of a window of `size` over `total` items that shows `pos`, moving as little as it can. */
export function follow(offset: number, pos: number, size: number, total: number): number {
  let start = offset;
  if (pos < start) start = pos;
  if (pos >= start + size) start = pos - size + 1;
  return clamp(start, 0, Math.max(0, total - size));
}

/** The scroll that keeps the cursor's seat in a viewport of `rows` × `cols` grid columns. */
export function followCursor(grid: SeatGrid, cursor: Cursor, scroll: Scroll, rows: number, cols: number): Scroll {
  const col = seatAt(grid, cursor)?.col ?? 0;
  return { top: follow(scroll.top, cursor.row, rows, grid.rows.length), left: follow(scroll.left, col, cols, grid.columns) };
}

/** Where the cursor starts: the middle of the front row, or the first free seat near it. */
export function initialCursor(grid: SeatGrid): Cursor {
  for (let r = 0; r < grid.rows.length; r++) {
    const seats = grid.rows[r].seats;
    const mid = Math.floor(seats.length / 2);
    for (let d = 0; d <= seats.length; d++) {
      for (const i of [mid - d, mid + d]) {
        if (i >= 0 && i < seats.length && seats[i].status === 'available') return { row: r, seat: i };
      }
    }
  }
  return { row: 0, seat: 0 };
}
