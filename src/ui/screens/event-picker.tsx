// Today's and upcoming events with what is left of each; type to filter, Enter to sell.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { useSyncReducer } from '../hooks/use-sync-reducer.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { Screen, bodyRows } from '../components/screen.js';
import { AvailabilityBar } from '../components/availability-bar.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useTheme } from '../theme.js';
import { Gap } from '../components/gap.js';
import { useKeys } from '../hooks/use-keys.js';

interface PickerState {
  filter: string;
  cursor: number;
}

type PickerAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'clear' } | { type: 'move'; delta: number; count: number };

function pickerReducer(state: PickerState, action: PickerAction): PickerState {
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

export function EventPicker({
  services,
  onOpen,
  onLogout,
  notice: initialNotice = null,
  refreshMs = 2000,
}: {
  services: Services;
  onOpen(event: EventSummary, mode: 'sell' | 'door'): void;
  onLogout?: () => void;
  notice?: NoticeData | null;
  refreshMs?: number;
}) {
  const theme = useTheme();
  const size = useTerminalSize();
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

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);

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

  const room = bodyRows('events', size) - 3;
  const top = Math.max(0, Math.min(state.cursor - room + 1, shown.length - room));
  const nameWidth = Math.min(28, Math.max(8, ...shown.map((e) => e.name.length)));
  const venueWidth = Math.min(22, Math.max(5, ...shown.map((e) => e.venue.length)));
  const barWidth = Math.max(6, Math.min(24, size.columns - nameWidth - venueWidth - 62));

  return (
    <Screen title="events" actor={services.actor} legend="events" legendDisabled={[...(door ? ['sell'] : []), ...(onLogout ? [] : ['logout'])]} notice={notice}>
      <Text>
        Filter: <Text bold>{state.filter}</Text>
        <Text inverse> </Text>
        {state.filter ? <Text dimColor>  {shown.length} of {events?.length ?? 0}</Text> : <Text dimColor>  type to filter{door ? ' · enter opens door mode' : ''}</Text>}
      </Text>
      <Gap />
      {events === null ? <Text dimColor>Loading events…</Text> : null}
      {events !== null && shown.length === 0 ? (
        <Text>{events.length === 0 ? 'No events on sale today or later. Add one: boxoffice event add … then boxoffice event publish …' : `No event matches "${state.filter}".`}</Text>
      ) : null}
      {shown.slice(top, top + room).map((e, i) => {
        const at = top + i === state.cursor;
        return (
          <Text key={e.id} wrap="truncate-end" bold={at}>
            <Text color={at ? theme.accent : undefined}>{at ? '› ' : '  '}</Text>
            {e.name.slice(0, nameWidth).padEnd(nameWidth)}  <Text dimColor={!at}>{e.venue.slice(0, venueWidth).padEnd(venueWidth)}</Text>  {humanTime(e.startsAt, e.timezone).padEnd(22)}{' '}
            <Text>sold {String(e.counts.sold).padStart(4)}  held {String(e.counts.held).padStart(3)}  free {String(e.counts.available).padStart(4)}  </Text>
            <AvailabilityBar counts={e.counts} width={barWidth} />
          </Text>
        );
      })}
      {events && events.length ? (
        <Box marginTop={1}>
          <Text dimColor>bar: █ sold ▒ held/blocked ░ free</Text>
        </Box>
      ) : null}
    </Screen>
  );
}
