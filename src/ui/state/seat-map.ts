// The seat map screen's own state: which section, where the cursor is in each, how far each is
// scrolled, which tier a GA stepper is on, and the "best N" prompt.
import type { SectionAvailability } from '../../core/inventory/availability.js';
import { buildGrid, followCursor, initialCursor, moveCursor, seatAt, type Cursor, type Move, type Scroll, type SeatGrid } from './seat-grid.js';

export interface SeatMapState {
  sections: SectionAvailability[];
  grids: (SeatGrid | null)[];
  section: number;
  cursors: Cursor[];
  scrolls: Scroll[];
  /** Per section: the tier row a GA stepper has in focus. */
  gaTier: number[];
  /** The digits typed after `b`, or null when no prompt is open. */
  bestPrompt: string | null;
  /** Per section: whether its window was placed yet (the first time, around the cursor). */
  placed: boolean[];
}

export type SeatMapAction =
  | { type: 'data'; sections: SectionAvailability[] }
  | { type: 'move'; move: Move; viewRows: number; viewCols: number }
  | { type: 'view'; viewRows: number; viewCols: number }
  | { type: 'section'; delta: number }
  | { type: 'gaTier'; delta: number; tiers: number }
  | { type: 'focusSeat'; section: number; cursor: Cursor }
  | { type: 'bestOpen'; initial: string }
  | { type: 'bestType'; text: string }
  | { type: 'bestBackspace' }
  | { type: 'bestClose' };

export const emptySeatMap: SeatMapState = { sections: [], grids: [], section: 0, cursors: [], scrolls: [], gaTier: [], bestPrompt: null, placed: [] };

export function seatMapReducer(state: SeatMapState, action: SeatMapAction): SeatMapState {
  switch (action.type) {
    case 'data': {
      const grids = action.sections.map((s) => (s.kind === 'reserved' ? buildGrid(s) : null));
      const first = state.sections.length === 0;
      return {
        ...state,
        sections: action.sections,
        grids,
        section: Math.min(state.section, Math.max(0, action.sections.length - 1)),
        // The seats of a section do not move while the map is open: cursors survive a refresh.
        cursors: grids.map((g, i) => (!first && state.cursors[i] ? state.cursors[i] : g ? initialCursor(g) : { row: 0, seat: 0 })),
        scrolls: grids.map((_g, i) => state.scrolls[i] ?? { top: 0, left: 0 }),
        gaTier: grids.map((_g, i) => state.gaTier[i] ?? 0),
        placed: grids.map((_g, i) => state.placed[i] ?? false),
      };
    }
    case 'move': {
      const grid = state.grids[state.section];
      if (!grid) return state;
      const cursor = moveCursor(grid, state.cursors[state.section], action.move, action.viewRows - 1);
      const scroll = followCursor(grid, cursor, state.scrolls[state.section], action.viewRows, action.viewCols);
      return { ...state, cursors: replace(state.cursors, state.section, cursor), scrolls: replace(state.scrolls, state.section, scroll) };
    }
    case 'view': {
      const grid = state.grids[state.section];
      if (!grid) return state;
      const cursor = state.cursors[state.section];
      if (!state.placed[state.section]) {
        // The first look at a section puts the cursor's seat mid-window, not at its edge.
        const col = seatAt(grid, cursor)?.col ?? 0;
        const centred = { top: cursor.row - Math.floor(action.viewRows / 2), left: col - Math.floor(action.viewCols / 2) };
        const scroll = followCursor(grid, cursor, { top: Math.max(0, centred.top), left: Math.max(0, centred.left) }, action.viewRows, action.viewCols);
        return { ...state, scrolls: replace(state.scrolls, state.section, scroll), placed: replace(state.placed, state.section, true) };
      }
      const scroll = followCursor(grid, cursor, state.scrolls[state.section], action.viewRows, action.viewCols);
      const old = state.scrolls[state.section];
      if (old.top === scroll.top && old.left === scroll.left) return state;
      return { ...state, scrolls: replace(state.scrolls, state.section, scroll) };
    }
    case 'section': {
      const n = state.sections.length;
      if (n === 0) return state;
      return { ...state, section: (state.section + action.delta + n) % n };
    }
    case 'gaTier': {
      const current = state.gaTier[state.section] ?? 0;
      const next = Math.max(0, Math.min(action.tiers - 1, current + action.delta));
      return { ...state, gaTier: replace(state.gaTier, state.section, next) };
    }
    case 'focusSeat':
      return { ...state, section: action.section, cursors: replace(state.cursors, action.section, action.cursor) };
    case 'bestOpen':
      return { ...state, bestPrompt: action.initial };
    case 'bestType':
      return state.bestPrompt === null ? state : { ...state, bestPrompt: (state.bestPrompt + action.text.replace(/\D/g, '')).slice(0, 4) };
    case 'bestBackspace':
      return state.bestPrompt === null ? state : { ...state, bestPrompt: state.bestPrompt.slice(0, -1) };
    case 'bestClose':
      return { ...state, bestPrompt: null };
  }
}

function replace<T>(list: T[], index: number, value: T): T[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}
