// The event list's state and keys: events read again every few seconds, the filter, the cursor,
// and Enter (sell, or door mode for a door operator) or ctrl+d (door mode) on the event under it.
import { useCallback, useRef, useState } from 'react';
import type { EventSummary, Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { matchesFilter, pickerReducer, type PickerState } from '../state/event-picker.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useSyncReducer } from './use-sync-reducer.js';
import { usePolling } from './use-polling.js';
import { useKeys } from './use-keys.js';

export interface EventPickerOptions {
  services: Services;
  onOpen(event: EventSummary, mode: 'sell' | 'door'): void;
  onLogout?: () => void;
  notice?: NoticeData | null;
  refreshMs?: number;
}

export interface EventPickerModel {
  /** null until the first read. */
  events: EventSummary[] | null;
  /** The events the filter lets through. */
  shown: EventSummary[];
  state: PickerState;
  notice: NoticeData | null;
  /** A door operator: Enter opens door mode, and selling is not offered. */
  door: boolean;
}

export function useEventPicker({ services, onOpen, onLogout, notice: initialNotice = null, refreshMs = 2000 }: EventPickerOptions): EventPickerModel {
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  // Keys read the list from here: a key can arrive before the render that showed the list.
  const eventsRef = useRef<EventSummary[]>([]);
  const [notice, setNotice] = useState<NoticeData | null>(initialNotice);
  const [state, dispatch, current] = useSyncReducer(pickerReducer, { filter: '', cursor: 0 });
  const door = services.actor.role === 'door';

  const load = useCallback(async () => {
    try {
      const list = await services.listEvents();
      eventsRef.current = list;
      setEvents(list);
    } catch (err) {
      setNotice(noticeFrom(err));
    }
  }, [services]);

  usePolling(load, refreshMs);

  const shown = (events ?? []).filter((e) => matchesFilter(e, state.filter));

  useKeys((input, key) => {
    const list = eventsRef.current.filter((e) => matchesFilter(e, current().filter));
    if (is('logout', input, key)) return onLogout?.();
    if (is('door', input, key)) {
      const e = list[current().cursor];
      if (e) onOpen(e, 'door');
      return;
    }
    if (key.ctrl || (key.meta && !key.escape)) return;
    if (is('listUp', input, key)) return void dispatch({ type: 'move', delta: -1, count: list.length });
    if (is('listDown', input, key)) return void dispatch({ type: 'move', delta: 1, count: list.length });
    if (is('clearFilter', input, key)) return void dispatch({ type: 'clear' });
    if (key.backspace || key.delete) return void dispatch({ type: 'backspace' });
    if (is('sell', input, key)) {
      const e = list[current().cursor];
      if (e) onOpen(e, door ? 'door' : 'sell');
      return;
    }
    if (key.tab) return;
    for (const k of typedKeys(input)) {
      if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
      else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
    }
  });

  return { events, shown, state, notice, door };
}
