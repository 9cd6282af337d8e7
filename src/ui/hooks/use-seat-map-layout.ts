// How much of the seat map fits: the grid's rows and columns at this terminal size, and the
// cursor kept in view when the size or the section changes.
import { useEffect } from 'react';
import { bodyRows } from '../components/screen.js';
import { gridColumnsFor } from '../components/seat-grid-view.js';
import type { TerminalSize } from './use-terminal-size.js';
import type { SeatMap } from './use-seat-map.js';

/** Lines the map draws around the grid: tabs, stage, cursor seat, selection, symbol key. */
const MAP_CHROME = 5;

export interface SeatMapLayout {
  gridRows: number;
  gridCols: number;
}

export function useSeatMapLayout({ map, mapDispatch, busy, notice }: Pick<SeatMap, 'map' | 'mapDispatch' | 'busy' | 'notice'>, size: TerminalSize): SeatMapLayout {
  const section = map.sections[map.section];
  // A long refusal wraps rather than losing its end; the grid gives up the rows it takes.
  const shownNotice = busy ? null : notice;
  const gridRows = Math.max(1, bodyRows(section?.kind === 'ga' ? 'gaSection' : 'seatMap', size, { notice: shownNotice }) - MAP_CHROME);
  const grid = map.grids[map.section] ?? null;
  const gridCols = grid ? gridColumnsFor(grid, size.columns) : 0;

  // A resize or a section change keeps the cursor in view.
  useEffect(() => {
    mapDispatch({ type: 'view', viewRows: gridRows, viewCols: gridCols });
  }, [gridRows, gridCols, mapDispatch]);

  return { gridRows, gridCols };
}
