// Reading an import file: CSV (streamed through csv-parse) or JSON (an array of objects), each
// record with the file's own line number (the header is line 1) so errors can point at it.
import fs from 'node:fs';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { invalid } from '../errors.js';

export type SourceFormat = 'csv' | 'json';

/** One row of the file: its fields by column name, and where it starts. */
export interface SourceRecord {
  line: number;
  fields: Record<string, unknown>;
}

/** A problem at a place in the file; `column` is 1-based (CSV), `field` the column's name. */
export interface ImportIssue {
  line: number;
  column?: number;
  field?: string;
  message: string;
}

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing';
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface SourceOptions {
  /** The columns this kind of file may have, in their documented order. */
  columns: readonly string[];
  /** Columns every file must have. */
  required: readonly string[];
  onProgress?: (p: ImportProgress) => void;
}

export interface SourceResult {
  format: SourceFormat;
  /** The columns the file has, in file order (CSV header, or the union of JSON keys). */
  columns: string[];
  records: SourceRecord[];
  /** Problems with the file's shape: header, quoting, JSON syntax, field counts. */
  issues: ImportIssue[];
}

/** `Email Address` → `email_address`: headers are matched case- and spacing-blind. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Decides the format: by extension, else by the first non-blank character. */
export function detectFormat(file: string, head: string): SourceFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

function fileSize(file: string): number {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw invalid(`${file} is not a file`);
    return stat.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw invalid(`no such file: ${file}`);
    throw err;
  }
}

function readHead(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = fs.readSync(fd, buf, 0, 64, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads every record of the file, collecting shape problems rather than stopping at the first. */
export async function readSource(file: string, options: SourceOptions): Promise<SourceResult> {
  const totalBytes = fileSize(file);
  const format = detectFormat(file, readHead(file));
  return format === 'csv' ? readCsv(file, totalBytes, options) : readJson(file, totalBytes, options);
}

function progressTicker(options: SourceOptions, totalBytes: number) {
  let last = 0;
  return (bytes: number, rows: number, force = false) => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    options.onProgress({ phase: 'reading', bytes, totalBytes, rows });
  };
}

function checkHeader(columns: string[], options: SourceOptions, issues: ImportIssue[], located: boolean): void {
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    const at = located ? { line: 1, column: i + 1 } : { line: 1 };
    if (!options.columns.includes(name)) {
      issues.push({ ...at, field: name, message: `unknown column ${JSON.stringify(name)} (columns: ${options.columns.join(', ')})` });
    }
    if (seen.has(name)) issues.push({ ...at, field: name, message: `column ${JSON.stringify(name)} appears twice` });
    seen.add(name);
  });
  for (const name of options.required) {
    if (!seen.has(name)) issues.push({ line: 1, field: name, message: `the required column ${JSON.stringify(name)} is missing` });
  }
}

// csv-parse reports the line a record ends on; a quoted field may span lines, and skipped blank
// lines are part of the raw text before the record.
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
  let inner = 0;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) inner++;
  return endLine - inner;
}

async function readCsv(file: string, totalBytes: number, options: SourceOptions): Promise<SourceResult> {
  const issues: ImportIssue[] = [];
  const records: SourceRecord[] = [];
  let columns: string[] | undefined;
  const tick = progressTicker(options, totalBytes);
  const parser = fs.createReadStream(file).pipe(
    parse({ bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true }),
  );
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number; bytes: number } }>) {
      const line = startLine(chunk.info.lines, chunk.raw);
      if (!columns) {
        columns = chunk.record.map(normaliseHeader);
        checkHeader(columns, options, issues, true);
        continue;
      }
      const values = chunk.record;
      if (values.length !== columns.length) {
        // One stray value is the classic unquoted comma; name where the extra one starts.
        issues.push({
          line,
          column: Math.min(values.length, columns.length) + (values.length > columns.length ? 1 : 0),
          message: `${values.length} values where the header has ${columns.length} columns${values.length > columns.length ? ' (a comma inside an unquoted value? quote it: "a, b")' : ''}`,
        });
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) fields[columns[i]] = values[i];
      records.push({ line, fields });
      tick(chunk.info.bytes, records.length);
    }
  } catch (err) {
    // csv-parse's own errors (CsvError) have codes with and without a CSV_ prefix
    // (INVALID_OPENING_QUOTE, CSV_QUOTE_NOT_CLOSED…): every one of them is a problem with the file.
    if (!(err instanceof CsvError)) throw err;
    const e = err as CsvError & { lines?: number };
    issues.push({ line: e.lines ?? 0, message: `the file is not valid CSV: ${e.message.replace(/^.*?: /, '')}` });
  }
  tick(totalBytes, records.length, true);
  if (!columns) issues.push({ line: 1, message: 'the file is empty: it needs a header row naming its columns' });
  return { format: 'csv', columns: columns ?? [], records, issues };
}

/**
 * Splits a top-level JSON array into its elements' text and start lines, without building the
 * values, so a syntax error is pinned to the element (and line) it is in.
 */
function splitJsonArray(text: string): { elements: { text: string; line: number }[]; issue?: ImportIssue } {
  let i = 0;
  let line = 1;
  const elements: { text: string; line: number }[] = [];
  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) break;
      i++;
    }
  };
  skipSpace();
  if (text[i] !== '[') return { elements, issue: { line, message: 'a JSON import is an array of objects: [ {...}, {...} ]' } };
  i++;
  for (;;) {
    skipSpace();
    if (text[i] === ']' && elements.length === 0) break;
    if (i >= text.length) return { elements, issue: { line, message: 'the JSON array is not closed with ]' } };
    const start = i;
    const startLineNo = line;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
    }
    if (inString) return { elements, issue: { line: startLineNo, message: 'a string is not closed (a missing ")' } };
    elements.push({ text: text.slice(start, i), line: startLineNo });
    if (i >= text.length) return { elements, issue: { line, message: 'the JSON array is not closed with ]' } };
    if (text[i] === ']') break;
    i++; // the comma
  }
  i++;
  skipSpace();
  if (i < text.length) return { elements, issue: { line, message: 'unexpected text after the closing ]' } };
  return { elements };
}

async function readJson(file: string, totalBytes: number, options: SourceOptions): Promise<SourceResult> {
  const issues: ImportIssue[] = [];
  const records: SourceRecord[] = [];
  const text = await fs.promises.readFile(file, 'utf8');
  const tick = progressTicker(options, totalBytes);
  const { elements, issue } = splitJsonArray(text);
  if (issue) issues.push(issue);
  const columns: string[] = [];
  const known = new Set<string>();
  let bytes = 0;
  for (const el of elements) {
    bytes += Buffer.byteLength(el.text) + 1;
    let value: unknown;
    try {
      value = JSON.parse(el.text);
    } catch (err) {
      issues.push({ line: el.line, message: `not valid JSON: ${(err as Error).message.split('\n')[0].replace(/, ".*$/s, '')}` });
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ line: el.line, message: 'each element must be an object such as {"email": "ana@example.com"}' });
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const name = normaliseHeader(key);
      fields[name] = v;
      if (known.has(name)) continue;
      known.add(name);
      columns.push(name);
      // In JSON a key missing from one object is a missing value, not a missing column: only unknown keys are the file's fault.
      if (!options.columns.includes(name)) {
        issues.push({ line: el.line, field: name, message: `unknown field ${JSON.stringify(key)} (fields: ${options.columns.join(', ')})` });
      }
    }
    records.push({ line: el.line, fields });
    tick(bytes, records.length);
  }
  tick(totalBytes, records.length, true);
  return { format: 'json', columns, records, issues };
}
