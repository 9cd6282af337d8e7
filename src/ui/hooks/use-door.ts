// Door mode's state and keys: the gate question, codes typed or scanned and checked in by the
// core one after another, and the running counts per gate, read again every few seconds.
import { useCallback, useRef, useState } from 'react';
import type { GateCount } from '../../core/tickets/door-counts.js';
import type { EventSummary, Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { admittedVerdict, doorReducer, isTicketCode, newDoor, refusedVerdict, type DoorState } from '../state/door.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useSyncReducer } from './use-sync-reducer.js';
import { useMounted } from './use-mounted.js';
import { usePolling } from './use-polling.js';
import { useKeys } from './use-keys.js';

export interface DoorOptions {
  services: Services;
  event: EventSummary;
  gate?: string | null;
  onBack(): void;
  refreshMs?: number;
}

export interface Door {
  state: DoorState;
  counts: { total: number; gates: GateCount[] } | null;
  notice: NoticeData | null;
  /** Checks a code in at this gate, after the scans before it. */
  scan(code: string): void;
}

export function useDoor({ services, event, gate = null, onBack, refreshMs = 2000 }: DoorOptions): Door {
  const [state, dispatch, current] = useSyncReducer(doorReducer, () => newDoor(gate));
  const [counts, setCounts] = useState<{ total: number; gates: GateCount[] } | null>(null);
  const [notice, setNotice] = useState<NoticeData | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const mounted = useMounted();

  const refresh = useCallback(async () => {
    try {
      const c = await services.admissions(event.id);
      if (mounted.current) setCounts(c);
    } catch (err) {
      if (mounted.current) setNotice(noticeFrom(err));
    }
  }, [services, event.id, mounted]);

  usePolling(refresh, refreshMs);

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

  const take = () => {
    const code = current().input;
    dispatch({ type: 'take' });
    scan(code);
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
    if (is('scan', input, key)) return take();
    // A scanner sends the code and its Enter in one burst: split it.
    for (const k of typedKeys(input)) {
      if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
      else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
      else if (k.kind === 'submit') take();
    }
  });

  return { state, counts, notice, scan };
}
