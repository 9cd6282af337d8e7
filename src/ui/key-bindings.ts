// Every key the TUI answers to, in one place: the screens ask `is(name, input, key)`, and the
// legend at the foot of each screen is drawn from the same table, so the two cannot disagree.
import type { Key } from 'ink';

export interface Binding {
  /** How the legend shows the key. */
  keys: string;
  /** What it does, in the legend. */
  label: string;
  match(input: string, key: Key): boolean;
}

const ctrl = (letter: string) => (input: string, key: Key) => key.ctrl && input === letter;
const plainKey =
  (...letters: string[]) =>
  (input: string, key: Key) =>
    !key.ctrl && !key.meta && letters.includes(input);

export const BINDINGS = {
  quit: { keys: 'ctrl+c', label: 'quit', match: ctrl('c') },
  logout: { keys: 'ctrl+l', label: 'log out', match: ctrl('l') },
  // Lists where typing filters: arrows only.
  listUp: { keys: '↑', label: 'up', match: (_i, k) => k.upArrow },
  listDown: { keys: '↓', label: 'down', match: (_i, k) => k.downArrow },
  sell: { keys: 'enter', label: 'sell', match: (_i, k) => k.return },
  door: { keys: 'ctrl+d', label: 'door mode', match: ctrl('d') },
  clearFilter: { keys: 'esc', label: 'clear filter', match: (_i, k) => k.escape },
  // The seat map: arrows and hjkl.
  up: { keys: '↑/k', label: '', match: (i, k) => k.upArrow || plainKey('k')(i, k) },
  down: { keys: '↓/j', label: '', match: (i, k) => k.downArrow || plainKey('j')(i, k) },
  left: { keys: '←/h', label: '', match: (i, k) => k.leftArrow || plainKey('h')(i, k) },
  right: { keys: '→/l', label: 'move', match: (i, k) => k.rightArrow || plainKey('l')(i, k) },
  pageUp: { keys: 'pgup', label: '', match: (_i, k) => k.pageUp },
  pageDown: { keys: 'pgdn', label: 'page', match: (_i, k) => k.pageDown },
  select: { keys: 'space', label: 'select', match: (i) => i === ' ' },
  best: { keys: 'b', label: 'best N', match: plainKey('b') },
  clearSelection: { keys: 'c', label: 'clear', match: plainKey('c') },
  nextSection: { keys: 'tab', label: 'section', match: (_i, k) => k.tab && !k.shift },
  prevSection: { keys: 'shift+tab', label: '', match: (_i, k) => k.tab && k.shift },
  toCart: { keys: 'enter', label: 'hold & cart', match: (_i, k) => k.return },
  backToEvents: { keys: 'esc', label: 'events', match: (_i, k) => k.escape },
  // General admission steppers.
  more: { keys: '+/→', label: 'more', match: (i, k) => k.rightArrow || plainKey('+', '=', 'l')(i, k) },
  fewer: { keys: '-/←', label: 'fewer', match: (i, k) => k.leftArrow || plainKey('-', 'h')(i, k) },
  // The cart.
  cycleTier: { keys: 't/space', label: 'tier', match: (i, k) => plainKey('t', ' ')(i, k) },
  cycleTierBack: { keys: 'T', label: 'tier back', match: plainKey('T') },
  toPayment: { keys: 'enter', label: 'pay', match: (_i, k) => k.return },
  releaseHold: { keys: 'esc', label: 'release hold', match: (_i, k) => k.escape },
  // Payment.
  // On the method line only, where nothing is typed.
  cash: { keys: 'c', label: 'cash', match: plainKey('c') },
  card: { keys: 'k', label: 'card', match: plainKey('k') },
  comp: { keys: 'm', label: 'comp', match: plainKey('m') },
  prevMethod: { keys: '←', label: '', match: (_i, k) => k.leftArrow },
  nextMethod: { keys: '→', label: 'method', match: (_i, k) => k.rightArrow },
  nextField: { keys: 'tab/↓', label: 'field', match: (_i, k) => (k.tab && !k.shift) || k.downArrow },
  prevField: { keys: 'shift+tab/↑', label: '', match: (_i, k) => (k.tab && k.shift) || k.upArrow },
  confirmPayment: { keys: 'enter', label: 'take payment', match: (_i, k) => k.return },
  backToCart: { keys: 'esc', label: 'back to cart', match: (_i, k) => k.escape },
  // The receipt.
  print: { keys: 'p', label: 'print', match: plainKey('p') },
  email: { keys: 'e', label: 'email', match: plainKey('e') },
  savePdf: { keys: 's', label: 'save PDF', match: plainKey('s') },
  nextSale: { keys: 'n', label: 'next sale', match: plainKey('n') },
  receiptToEvents: { keys: 'esc', label: 'events', match: (_i, k) => k.escape },
  // Door mode.
  scan: { keys: 'enter', label: 'check in', match: (_i, k) => k.return },
  changeGate: { keys: 'ctrl+g', label: 'gate', match: ctrl('g') },
  doorToEvents: { keys: 'esc', label: 'events', match: (_i, k) => k.escape },
  // Login.
  loginNext: { keys: 'tab', label: 'next field', match: (_i, k) => k.tab },
  loginSubmit: { keys: 'enter', label: 'log in', match: (_i, k) => k.return },
} satisfies Record<string, Binding>;

export type BindingName = keyof typeof BINDINGS;

export function is(name: BindingName, input: string, key: Key): boolean {
  return BINDINGS[name].match(input, key);
}

/** The legend of each screen, in the order it is drawn. */
export const LEGENDS = {
  login: ['loginNext', 'loginSubmit', 'quit'],
  events: ['listUp', 'listDown', 'sell', 'door', 'clearFilter', 'logout', 'quit'],
  seatMap: ['up', 'down', 'left', 'right', 'select', 'best', 'prevSection', 'nextSection', 'pageUp', 'pageDown', 'clearSelection', 'toCart', 'backToEvents', 'quit'],
  gaSection: ['up', 'down', 'fewer', 'more', 'prevSection', 'nextSection', 'clearSelection', 'toCart', 'backToEvents', 'quit'],
  cart: ['listUp', 'listDown', 'cycleTier', 'cycleTierBack', 'toPayment', 'releaseHold', 'quit'],
  payment: ['cash', 'card', 'comp', 'prevMethod', 'nextMethod', 'prevField', 'nextField', 'confirmPayment', 'backToCart', 'quit'],
  receipt: ['print', 'email', 'savePdf', 'nextSale', 'receiptToEvents', 'quit'],
  door: ['scan', 'changeGate', 'doorToEvents', 'quit'],
} satisfies Record<string, BindingName[]>;

export type LegendName = keyof typeof LEGENDS;

export type Typed = { kind: 'text'; text: string } | { kind: 'backspace' } | { kind: 'tab' } | { kind: 'submit' };

/**
 * The keys in one chunk of typed input. A scanner, a paste or tmux sends `CODE\r` (or a
 * backspace, some text and Enter) as one piece, which Ink passes on whole.
 */
export function typedKeys(input: string): Typed[] {
  const keys: Typed[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ kind: 'text', text });
    text = '';
  };
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') {
      flush();
      keys.push({ kind: 'submit' });
    } else if (ch === '\u007f' || ch === '\b') {
      flush();
      keys.push({ kind: 'backspace' });
    } else if (ch === '\t') {
      flush();
      keys.push({ kind: 'tab' });
    } else if (ch >= ' ') {
      text += ch;
    }
  }
  flush();
  return keys;
}
