// Ink hands a burst of plain keys (a paste, a scanner, tmux, a fast typist on a slow machine)
// to useInput as one string. Screens want one key at a time, so a burst is split here and each
// key described as Ink would have described it alone.
import { useInput, type Key } from 'ink';

const blank: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

function singleKey(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return [ch, { ...blank, return: true }];
  if (ch === '\t') return ['', { ...blank, tab: true }];
  if (ch === '\u007f') return ['', { ...blank, delete: true }];
  if (ch === '\b') return ['', { ...blank, backspace: true }];
  const code = ch.codePointAt(0) ?? 0;
  if (code < 27) return [String.fromCharCode(code + 96), { ...blank, ctrl: true }];
  return [ch, { ...blank, shift: /[A-Z]/.test(ch) }];
}

/** The keys in what Ink passed on: itself, or each key of a burst. */
export function splitBurst(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length <= 1 || input.includes('\u001b')) return [[input, key]];
  return chars.map(singleKey);
}

export function useKeys(handler: (input: string, key: Key) => void, options?: { isActive?: boolean }): void {
  useInput((input, key) => {
    for (const [i, k] of splitBurst(input, key)) handler(i, k);
  }, options);
}
