// Door mode: a scanner types a code and Enter; the core admits it once or says why not, in
// letters big enough to read from a step away, with running counts per gate.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { GateCount } from '../../core/tickets/door-counts.js';
import { humanTime } from '../../core/time.js';
import type { EventSummary, Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { useSyncReducer } from '../hooks/use-sync-reducer.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { admittedVerdict, doorReducer, isTicketCode, newDoor, refusedVerdict } from '../state/door.js';
import { Screen } from '../components/screen.js';
import { VerdictBox } from '../components/verdict-box.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useTheme } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

export function DoorScreen({ services, event, gate = null, onBack, refreshMs = 2000 }: { services: Services; event: EventSummary; gate?: string | null; onBack(): void; refreshMs?: number }) {
  const theme = useTheme();
  const size = useTerminalSize();
  const [state, dispatch, current] = useSyncReducer(doorReducer, () => newDoor(gate));
  const [counts, setCounts] = useState<{ total: number; gates: GateCount[] } | null>(null);
  const [notice, setNotice] = useState<NoticeData | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const refresh = useCallback(async () => {
    try {
      const c = await services.admissions(event.id);
      if (mounted.current) setCounts(c);
    } catch (err) {
      if (mounted.current) setNotice(noticeFrom(err));
    }
  }, [services, event.id]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), refreshMs);
    return () => clearInterval(timer);
  }, [refresh, refreshMs]);

  // Scans are checked one after another, in the order they came, however fast they come.
  const scan = (code: string) => {
    const trimmed = code.trim();
    if (!trimmed) return;
    const g = current().gate || undefined;
    queue.current = queue.current.then(async () => {
      try {
        const admission = await services.checkIn(trimmed, event.id, g);
        if (mounted.current) dispatch({ type: 'verdict', verdict: admittedVerdict(admission) });
      } catch (err) {
        if (mounted.current) dispatch({ type: 'verdict', verdict: refusedVerdict(trimmed, err, event.timezone) });
      }
      await refresh();
    });
  };

  // A ticket scanned at the gate question sets no gate name: it is checked in (doorReducer).
  const submitGate = () => {
    const draft = current().gateDraft ?? '';
    dispatch({ type: 'setGate' });
    if (isTicketCode(draft)) scan(draft);
  };

  useKeys((input, key) => {
    const s = current();
    if (s.gateDraft !== null) {
      if (key.escape) return s.gate ? void dispatch({ type: 'setGate' }) : onBack();
      if (key.backspace || key.delete) return void dispatch({ type: 'backspace' });
      if (key.return) return submitGate();
      for (const k of typedKeys(input)) {
        if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
        else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
        else if (k.kind === 'submit') submitGate();
      }
      return;
    }
    if (is('changeGate', input, key)) return void dispatch({ type: 'editGate' });
    if (key.ctrl) return;
    if (is('doorToEvents', input, key)) return onBack();
    if (key.backspace || key.delete) return void dispatch({ type: 'backspace' });
    if (is('scan', input, key)) {
      const code = current().input;
      dispatch({ type: 'take' });
      return scan(code);
    }
    // A scanner sends the code and its Enter in one burst: split it.
    for (const k of typedKeys(input)) {
      if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
      else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
      else if (k.kind === 'submit') {
        const code = current().input;
        dispatch({ type: 'take' });
        scan(code);
      }
    }
  });

  const gates = counts?.gates ?? [];
  return (
    <Screen title={`door · ${event.name}`} right={humanTime(event.startsAt, event.timezone)} actor={services.actor} legend="door" notice={notice}>
      {state.gateDraft !== null ? (
        <Box flexDirection="column" paddingTop={1}>
          <Text>
            <Text bold>Which gate is this? </Text>
            {/* The suggestion shows selected: typing replaces it. */}
            {state.gateDraftFresh ? <Text inverse>{state.gateDraft}</Text> : state.gateDraft}
            <Text inverse> </Text>
            <Text dimColor>   enter to start scanning</Text>
          </Text>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>
            <Text bold color={theme.accent}>
              Gate {state.gate || '—'}
            </Text>{' '}
            · scan or type a ticket code, then enter
          </Text>
          <Text>
            <Text bold>› </Text>
            {state.input}
            <Text inverse> </Text>
          </Text>
          <VerdictBox verdict={state.verdict} width={Math.max(30, size.columns)} />
          <Text wrap="truncate-end">
            <Text bold>Admitted {counts?.total ?? 0}</Text>
            {gates.length ? ' — ' : ''}
            {gates.map((g) => `gate ${g.gate ?? '(none)'}: ${g.admitted}`).join(' · ')}
          </Text>
          <Text dimColor>
            This terminal: {state.session.admitted} admitted · {state.session.refused} refused
          </Text>
        </Box>
      )}
    </Screen>
  );
}
