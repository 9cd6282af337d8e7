// Door mode: the code being typed (or scanned), the gate, and the last verdict.
import { BoxofficeError, domainError, factsOf } from '../../core/errors.js';
import { screenWords } from '../wording.js';
import { normaliseTicketCode } from '../../core/codes.js';
import type { Admission } from '../../core/tickets/checkin.js';

export type VerdictKind = 'admitted' | 'used' | 'void' | 'unknown' | 'wrong_event' | 'refused';

export interface Verdict {
  kind: VerdictKind;
  code: string;
  /** The big word: ADMITTED, ALREADY USED… */
  title: string;
  detail: string;
}

export interface DoorState {
  gate: string;
  /** The gate being typed, or null while scanning. */
  gateDraft: string | null;
  /** The draft is the suggestion, shown as if selected: the first key typed replaces it. */
  gateDraftFresh: boolean;
  input: string;
  verdict: Verdict | null;
  /** Scans this terminal made, by outcome. */
  session: { admitted: number; refused: number };
}

export type DoorAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'take' } | { type: 'verdict'; verdict: Verdict } | { type: 'editGate' } | { type: 'setGate' };

/** The gate suggested when none is set yet. */
const FIRST_GATE = '1';

export function newDoor(gate: string | null): DoorState {
  return { gate: gate ?? '', gateDraft: gate === null ? FIRST_GATE : null, gateDraftFresh: gate === null, input: '', verdict: null, session: { admitted: 0, refused: 0 } };
}

/**
 * Whether what was typed at the gate question is a ticket code (26 Crockford characters, as a
 * scanner sends them): a door operator who scans before answering means a scan, not a gate name.
 */
export function isTicketCode(text: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(normaliseTicketCode(text));
}

export function doorReducer(state: DoorState, action: DoorAction): DoorState {
  switch (action.type) {
    case 'type':
      if (state.gateDraft !== null) return { ...state, gateDraft: ((state.gateDraftFresh ? '' : state.gateDraft) + action.text).slice(0, 40), gateDraftFresh: false };
      return { ...state, input: (state.input + action.text).slice(0, 200) };
    case 'backspace':
      if (state.gateDraft !== null) return { ...state, gateDraft: state.gateDraftFresh ? '' : state.gateDraft.slice(0, -1), gateDraftFresh: false };
      return { ...state, input: state.input.slice(0, -1) };
    case 'take':
      return { ...state, input: '' };
    case 'verdict': {
      const admitted = action.verdict.kind === 'admitted';
      return {
        ...state,
        verdict: action.verdict,
        session: { admitted: state.session.admitted + (admitted ? 1 : 0), refused: state.session.refused + (admitted ? 0 : 1) },
      };
    }
    case 'editGate':
      return { ...state, gateDraft: state.gate, gateDraftFresh: true };
    case 'setGate': {
      if (state.gateDraft === null) return state;
      const draft = state.gateDraft.trim();
      // A code scanned at the question: the gate stays as it was (or the suggested one), and the
      // screen checks the code in (door.tsx).
      if (isTicketCode(draft)) return { ...state, gate: state.gate || FIRST_GATE, gateDraft: null, gateDraftFresh: false };
      return { ...state, gate: draft.slice(0, 20), gateDraft: null, gateDraftFresh: false };
    }
  }
}

/** Wall-clock time at the venue, e.g. `19:02`. */
export function clockTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function admittedVerdict(a: Admission): Verdict {
  const place = a.seat ?? `${a.section} (standing)`;
  return { kind: 'admitted', code: a.code, title: 'ADMITTED', detail: `${place} · ${a.tier} · order ${a.order}` };
}

/** What the door shows for a refusal; the core's own message is kept as the detail. */
export function refusedVerdict(code: string, failure: unknown, timeZone: string): Verdict {
  const err = domainError(failure);
  if (!(err instanceof BoxofficeError)) return { kind: 'refused', code, title: 'ERROR', detail: err instanceof Error ? err.message : String(err) };
  switch (err.code) {
    case 'ticket_used': {
      const first = (err.details?.firstScan ?? {}) as { at?: string; gate?: string | null };
      const when = first.at ? ` at ${clockTime(first.at, timeZone)}` : '';
      const where = first.gate ? ` gate ${first.gate}` : '';
      return { kind: 'used', code, title: 'ALREADY USED', detail: `already used${when}${where}` };
    }
    case 'ticket_void':
      return { kind: 'void', code, title: 'VOID', detail: err.message };
    case 'ticket_unknown':
      return { kind: 'unknown', code, title: 'UNKNOWN', detail: err.message };
    case 'ticket_wrong_event': {
      // The code is shown under the verdict already; the events named are what the door reads.
      const other = factsOf(err, 'ticket_for_other_event');
      return { kind: 'wrong_event', code, title: 'OTHER EVENT', detail: other ? `Ticket is for ${other.event}, not ${other.scanned}` : err.message };
    }
    default:
      return { kind: 'refused', code, title: 'REFUSED', detail: screenWords(err).text };
  }
}
