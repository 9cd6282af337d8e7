// Free text (names, emails, references, reasons) is plain, one-line text. A terminal obeys the
// control characters inside text it prints (an escape sequence can retitle the window, clear the
// screen, hide or move what follows, or ask the terminal to type an answer), and bidi overrides
// make text read differently from what it is. So the core refuses them in what it stores, and the
// fronts show any that are already stored, or that a file or an error quotes, as visible escapes.
import { invalid } from './errors.js';

// C0 controls (NUL, tab, newline, ESC, BEL, …), DEL, C1 controls (U+0080–U+009F, which some
// terminals obey as ESC sequences), and the bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// The same, but newline and tab pass: for messages that are meant to span lines.
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b` for a control character below U+0100, `\u202e` for a bidi control: what the escape stands for, visibly. */
function escapeControl(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * Text as it is safe to show at a terminal: control characters and bidi controls become visible
 * escapes (`\x1b`, `\x07`, `\u202e`); newlines and tabs stay unless `oneLine`.
 */
export function printable(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine ? CONTROLS : CONTROLS_BUT_LINES, escapeControl);
}

/** The first control or bidi character in `text` and where it is (0-based), if any. */
function findControl(text: string): { char: string; index: number } | undefined {
  const m = CONTROL.exec(text);
  // Counted in characters as people count them, not UTF-16 units.
  return m ? { char: m[0], index: [...text.slice(0, m.index)].length } : undefined;
}

/** Why `text` cannot be stored as plain text, or undefined when it can. */
export function controlProblem(text: string): string | undefined {
  const found = findControl(text);
  if (!found) return undefined;
  const what = /[\u202a-\u202e\u2066-\u2069]/.test(found.char) ? 'a bidi control character' : 'a control character';
  return `contains ${what} (${escapeControl(found.char)} at character ${found.index + 1}); use plain one-line text`;
}

/** Refuses (invalid_input, naming `field`) text with control or bidi characters; returns it unchanged otherwise. */
export function plainText<T extends string | null | undefined>(text: T, field: string): T {
  if (typeof text !== 'string') return text;
  const problem = controlProblem(text);
  if (problem) throw invalid(`${field} ${problem}`);
  return text;
}
