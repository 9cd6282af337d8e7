// A window onto a reserved section: only the rows and columns that fit are drawn, so the size
// of the section does not matter. Status shows by symbol as well as by colour.
import type React from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import type { SeatStatus } from '../../core/inventory/availability.js';
import type { Cursor, Scroll, SeatGrid } from '../state/seat-grid.js';
import { useTheme, type Palette } from '../theme.js';

export const SEAT_SYMBOLS: Record<SeatStatus | 'selected', string> = {
  available: '○',
  selected: '◆',
  held: '◐',
  sold: '●',
  blocked: '✕',
};

type Look = SeatStatus | 'selected' | 'gap';
const CELL = 2;

function colourOf(look: Look, theme: Palette): string | undefined {
  switch (look) {
    case 'available':
      return theme.ok;
    case 'selected':
      return theme.selected;
    case 'held':
      return theme.warn;
    case 'sold':
      return theme.bad;
    case 'blocked':
      return theme.muted;
    default:
      return undefined;
  }
}

const labelWidthOf = (grid: SeatGrid) => Math.max(1, ...grid.rows.slice(0, 500).map((r) => r.label.length));

/** How many seat columns fit beside the row labels in `width` terminal columns. */
export function gridColumnsFor(grid: SeatGrid, width: number): number {
  return Math.max(1, Math.floor((width - labelWidthOf(grid) - 2) / CELL));
}

/** Terminal columns the grid takes as drawn from `scrollLeft` in `width`: labels and seats, no more. */
export function gridDrawnWidth(grid: SeatGrid, width: number, scrollLeft: number): number {
  const seats = Math.max(0, Math.min(gridColumnsFor(grid, width), grid.columns - scrollLeft));
  return Math.min(width, labelWidthOf(grid) + seats * CELL);
}

export function SeatGridView({ grid, cursor, scroll, selected, rows, width }: { grid: SeatGrid; cursor: Cursor; scroll: Scroll; selected: ReadonlySet<string>; rows: number; width: number }) {
  const theme = useTheme();
  const labelWidth = labelWidthOf(grid);
  const cols = gridColumnsFor(grid, width);
  const visible = grid.rows.slice(scroll.top, scroll.top + rows);
  return (
    <Box flexDirection="column">
      {visible.map((row, i) => {
        const r = scroll.top + i;
        // One look per visible column, then runs of equal looks become one <Text> each.
        const looks: Look[] = new Array(cols).fill('gap');
        let cursorCol = -1;
        for (let s = 0; s < row.seats.length; s++) {
          const seat = row.seats[s];
          const c = seat.col - scroll.left;
          if (c < 0 || c >= cols) continue;
          looks[c] = selected.has(seat.label) ? 'selected' : seat.status;
          if (r === cursor.row && s === cursor.seat) cursorCol = c;
        }
        const parts: React.ReactNode[] = [];
        let c = 0;
        while (c < cols) {
          const look = looks[c];
          if (c === cursorCol) {
            parts.push(
              <Text key={c} bold>
                ▸
                <Text inverse color={colourOf(look, theme)}>
                  {look === 'gap' ? ' ' : SEAT_SYMBOLS[look]}
                </Text>
              </Text>,
            );
            c++;
            continue;
          }
          let end = c + 1;
          while (end < cols && end !== cursorCol && looks[end] === look) end++;
          parts.push(
            <Text key={c} color={colourOf(look, theme)}>
              {(look === 'gap' ? ' ' : SEAT_SYMBOLS[look]).padStart(CELL).repeat(end - c)}
            </Text>,
          );
          c = end;
        }
        return (
          <Text key={row.label + r} wrap="truncate-end">
            <Text bold={r === cursor.row} dimColor={r !== cursor.row}>
              {row.label.padStart(labelWidth)}
            </Text>
            {parts}
          </Text>
        );
      })}
    </Box>
  );
}

export function SeatKey() {
  const theme = useTheme();
  const items: [Look, string][] = [
    ['available', 'free'],
    ['selected', 'selected'],
    ['held', 'held'],
    ['sold', 'sold'],
    ['blocked', 'blocked'],
  ];
  return (
    <Text>
      {items.map(([look, label], i) => (
        <Text key={look}>
          {i > 0 ? '  ' : ''}
          <Text color={colourOf(look, theme)}>{SEAT_SYMBOLS[look as SeatStatus]}</Text> {label}
        </Text>
      ))}
      <Text> ▸ cursor</Text>
    </Text>
  );
}
