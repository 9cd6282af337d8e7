// Rendering: JSON for scripts, aligned tables on a TTY, tab-separated with a header when piped.
import { BoxofficeError } from '../core/errors.js';
import { paint, type IO } from './io.js';

export interface Column<T> {
  header: string;
  /** For people (TTY). */
  value: (row: T) => string | number | null | undefined;
  /** For scripts (piped), when it differs: ISO times, raw numbers. */
  raw?: (row: T) => string | number | null | undefined;
  align?: 'left' | 'right';
}

export function printJson(io: IO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, io.isTTY ? 2 : undefined)}\n`);
}

const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
// Tab-separated output must stay one record per line, one field per tab.
const tsvCell = (v: string | number | null | undefined) => cell(v).replace(/[\t\r\n]/g, ' ');

/** Display width, counting wide characters (CJK, emoji) as two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  // eslint-disable-next-line no-control-regex
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 32 || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) ? 2 : 1;
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
    for (const row of rows) lines.push(columns.map((c) => tsvCell((c.raw ?? c.value)(row))).join('\t'));
    io.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  if (rows.length === 0) {
    io.stdout.write(`${paint(io, 'dim', '(none)')}\n`);
    return;
  }
  const maxCell = Math.max(12, Math.floor(io.columns / Math.max(1, columns.length)) * 2);
  const text = rows.map((row) => columns.map((c) => truncate(cell(c.value(row)).replace(/[\r\n\t]/g, ' '), maxCell)));
  // A loop, not Math.max(...cells): spreading a hundred thousand rows overflows the stack.
  const widths = columns.map((c) => displayWidth(c.header));
  for (const r of text) r.forEach((s, i) => (widths[i] = Math.max(widths[i], displayWidth(s))));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(widths[i] - displayWidth(s));
    return columns[i].align === 'right' ? gap + s : s + gap;
  };
  io.stdout.write(`${paint(io, 'bold', columns.map((c, i) => pad(c.header.toUpperCase(), i)).join('  ').trimEnd())}\n`);
  for (const r of text) io.stdout.write(`${r.map(pad).join('  ').trimEnd()}\n`);
}

/** One thing's fields, as `label: value` lines. */
export function printFields(io: IO, fields: [string, string | number | null | undefined][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) {
    if (v === undefined) continue;
    io.stdout.write(`${paint(io, 'dim', `${k.padEnd(width)} `)} ${cell(v)}\n`);
  }
}

/** A message for people: to stderr, so stdout stays data. */
export function say(io: IO, message: string): void {
  io.stderr.write(`${message}\n`);
}

export function reportError(io: IO, err: unknown, json: boolean): void {
  if (err instanceof BoxofficeError) {
    if (json) {
      const error: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.hint) error.hint = err.hint;
      if (err.details) error.details = err.details;
      io.stderr.write(`${JSON.stringify({ error })}\n`);
    } else {
      io.stderr.write(`${paint(io, 'red', 'error:')} ${err.message}\n`);
      if (err.hint) io.stderr.write(`${paint(io, 'dim', `hint: ${err.hint}`)}\n`);
    }
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stderr.write(`${JSON.stringify({ error: { code: 'unexpected', message } })}\n`);
  else io.stderr.write(`${paint(io, 'red', 'unexpected error:')} ${message}\n`);
  if (io.env.BOXOFFICE_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
}
