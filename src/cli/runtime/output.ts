// Rendering: JSON for scripts, aligned tables on a TTY, tab-separated with a header when piped.
//
// Text from the database, a file or an error reaches the terminal through these functions, and
// each makes it printable (src/core/text.ts) before it adds its own colours: a control character
// or bidi control in a name shows as a visible escape such as `\x1b` or `\u202e` and is never
// obeyed, on a TTY and piped alike (TSV too: a consumer splits on tabs and newlines, and a
// terminal at the end of a pipe obeys escapes). JSON keeps every value exact: JSON.stringify
// escapes C0 controls itself, and jsonText escapes the rest. Colour is applied by `style`, after
// the text is made printable, so a name cannot forge it either.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Writable } from 'node:stream';
import { BoxofficeError, domainError } from '../../core/errors.js';
import { printable } from '../../core/text.js';
import { paint, type IO, type Style } from './io.js';
import { cliWords } from './refusals.js';

export interface Column<T> {
  header: string;
  /** For people (TTY). */
  value: (row: T) => string | number | null | undefined;
  /** For scripts (piped), when it differs: ISO times, raw numbers. */
  raw?: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
  /** A colour for people (TTY), applied after the value is made printable. */
  style?: (row: T) => Style | undefined;
}

// DEL, C1 controls and bidi controls, which JSON.stringify leaves raw (it escapes only C0).
const JSON_UNESCAPED = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** JSON text (from JSON.stringify, or SQLite's JSON functions) with DEL, C1 and bidi controls escaped as `\u202e` too. */
export function escapeJsonControls(json: string): string {
  // These characters can only stand inside JSON strings, where `\uXXXX` means the same character.
  return json.replace(JSON_UNESCAPED, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON text with every control and bidi character escaped (`\u001b`, `\u202e`): the same value, safe at a terminal. */
export function jsonText(value: unknown, indent?: number): string {
  return escapeJsonControls(JSON.stringify(value, null, indent));
}

export function printJson(io: IO, value: unknown): void {
  io.stdout.write(`${jsonText(value, io.isTTY ? 2 : undefined)}\n`);
}

const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
/** One line of printable text: tabs and line breaks become spaces, other controls visible escapes. */
export const oneLine = (v: string | number | null | undefined) => printable(cell(v).replace(/[\t\r\n]/g, ' '), { oneLine: true });

/** Display width, counting wide characters (CJK, emoji) as two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 32 || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) ||
        (cp >= 0x1f300 && cp <= 0x1faff) ||
        (cp >= 0x20000 && cp <= 0x3fffd))
        ? 2
        : 1;
  }
  return width;
}

function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** A list: a table on a TTY, TSV with a header row when piped. */
export function printTable<T>(io: IO, rows: T[], columns: Column<T>[]): void {
  if (!io.isTTY) {
    const lines = [columns.map((c) => c.header.toLowerCase().replace(/\s+/g, '_')).join('\t')];
    // Tab-separated output must stay one record per line, one field per tab.
    for (const row of rows) lines.push(columns.map((c) => oneLine((c.raw ?? c.value)(row))).join('\t'));
    io.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  if (rows.length === 0) {
    io.stdout.write(`${paint(io, 'dim', '(none)')}\n`);
    return;
  }
  const maxCell = Math.max(12, Math.floor(io.columns / Math.max(1, columns.length)) * 2);
  const text = rows.map((row) =>
    columns.map((c) => {
      const shown = truncate(oneLine(c.value(row)), maxCell);
      const style = c.style?.(row);
      return style ? paint(io, style, shown) : shown;
    }),
  );
  // A loop, not Math.max(...cells): spreading a hundred thousand rows overflows the stack.
  const widths = columns.map((c) => displayWidth(c.header));
  for (const r of text) r.forEach((s, i) => (widths[i] = Math.max(widths[i], displayWidth(s))));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(widths[i] - displayWidth(s));
    return columns[i].align === 'right' ? gap + s : s + gap;
  };
  io.stdout.write(
    `${paint(
      io,
      'bold',
      columns
        .map((c, i) => pad(c.header.toUpperCase(), i))
        .join('  ')
        .trimEnd(),
    )}\n`,
  );
  for (const r of text) io.stdout.write(`${r.map(pad).join('  ').trimEnd()}\n`);
}

/** One thing's fields, as `label: value` lines; a value's colour, if any, is the third item. */
export function printFields(io: IO, fields: [string, string | number | null | undefined, Style?][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v, style] of fields) {
    if (v === undefined) continue;
    const shown = oneLine(v);
    io.stdout.write(`${paint(io, 'dim', `${k.padEnd(width)} `)} ${style ? paint(io, style, shown) : shown}\n`);
  }
}

/**
 * A stream into `target` that shows control characters as visible escapes, for data (an export)
 * written to a terminal; redirected to a file or a pipe, data is written exactly as it is.
 */
export function printableStream(target: Writable): Writable {
  const decoder = new StringDecoder('utf8');
  const stream = new Transform({
    transform: (chunk: Buffer | string, _encoding, done) => done(null, printable(typeof chunk === 'string' ? chunk : decoder.write(chunk))),
    flush: (done) => done(null, printable(decoder.end())),
  });
  stream.pipe(target, { end: false });
  return stream;
}

/** A message for people: to stderr, so stdout stays data; `lead` is a coloured word before it, such as `warning:`. */
export function say(io: IO, message: string, lead?: { text: string; style: Style }): void {
  io.stderr.write(`${lead ? `${paint(io, lead.style, lead.text)} ` : ''}${printable(message)}\n`);
}

export function reportError(io: IO, failure: unknown, json: boolean): void {
  const err = domainError(failure);
  if (err instanceof BoxofficeError) {
    const words = cliWords(err);
    if (json) {
      const error: Record<string, unknown> = { code: err.code, message: words.message };
      if (words.hint) error.hint = words.hint;
      if (words.details) error.details = words.details;
      io.stderr.write(`${jsonText({ error })}\n`);
    } else {
      // A message may span lines (an import lists its problems one a line).
      io.stderr.write(`${paint(io, 'red', 'error:')} ${printable(words.message)}\n`);
      if (words.hint) io.stderr.write(`${paint(io, 'dim', `hint: ${printable(words.hint)}`)}\n`);
    }
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stderr.write(`${jsonText({ error: { code: 'unexpected', message } })}\n`);
  else io.stderr.write(`${paint(io, 'red', 'unexpected error:')} ${printable(message)}\n`);
  if (io.env.BOXOFFICE_DEBUG && err instanceof Error) io.stderr.write(`${printable(err.stack ?? '')}\n`);
}
