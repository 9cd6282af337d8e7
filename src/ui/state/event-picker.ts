// The event list's own state: the filter typed and the cursor in the filtered list.
import type { EventSummary } from '../services.js';

export interface PickerState {
  filter: string;
  cursor: number;
}

export type PickerAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'clear' } | { type: 'move'; delta: number; count: number };

export function pickerReducer(state: PickerState, action: PickerAction): PickerState {
  switch (action.type) {
    case 'type':
      return { filter: state.filter + action.text, cursor: 0 };
    case 'backspace':
      return { filter: state.filter.slice(0, -1), cursor: 0 };
    case 'clear':
      return { filter: '', cursor: 0 };
    case 'move':
      return { ...state, cursor: Math.max(0, Math.min(action.count - 1, state.cursor + action.delta)) };
  }
}

export function matchesFilter(e: EventSummary, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  return !f || e.name.toLowerCase().includes(f) || e.venue.toLowerCase().includes(f);
}
