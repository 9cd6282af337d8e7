// Reading an import file: CSV (through csv-parse) or JSON (an array of objects), streamed record
// by record, each with the file's own line number (the header is line 1) so errors can point at
// it. Nothing here holds more than the record being read: a file of any size reads in the same
// memory.
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import { invalid } from '../errors.js';
import { NOT_UTF8, NotUtf8Error, SNIFF_BYTES, Utf8Check, lineAt, sniffBinary } from './encoding.js';

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
  /** Reading covers checking each row and planning it; writing happens in the write transaction. */
  phase: 'reading' | 'writing';
  /** Reading: bytes read so far; writing: rows written so far. */
  bytes: number;
  /** Reading: the file's size; writing: the number of rows to write. */
  totalBytes: number;
  rows: number;
}

/**
 * The most columns (or, in JSON, different fields) a file may have. Every kind has at most ten, so
 * a wider file is not an import file; refusing it early keeps a 200,000-column header from being
 * checked (and listed) column by column.
 */
export const MAX_COLUMNS = 100;

/**
 * The most characters one CSV record (the header too) or JSON object may have: far more than any
 * row's columns allow, and it keeps a file that is one endless line from being read into memory whole.
 */
export const MAX_RECORD_CHARS = 8 << 20;

export interface SourceOptions {
  /** The kind of file, to name it in problems (`leads`). */
  kind?: string;
  /** The columns this kind of file may have, in their documented order. */
  columns: readonly string[];
  /** Columns every file must have. */
  required: readonly string[];
  /** Each problem with the file's shape (header, quoting, JSON syntax, field counts), as it is found. */
  onIssue: (issue: ImportIssue) => void;
  onProgress?: (p: ImportProgress) => void;
}

export interface Source {
  format: SourceFormat;
  /** The columns the file has, in file order (CSV header, or the union of JSON keys): filled in as the records are read. */
  columns: string[];
  /** The records, read from the file as they are asked for; read them once. */
  records: AsyncIterable<SourceRecord>;
}

/** `Email Address` → `email_address`: headers are matched case- and spacing-blind. */
export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
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

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks the file is there and tells its format; its records are read as they are iterated. */
export function openSource(file: string, options: SourceOptions): Source {
  const totalBytes = fileSize(file);
  const head = readHead(file);
  const format = detectFormat(file, head.subarray(0, 64).toString('utf8'));
  const columns: string[] = [];
  const binary = sniffBinary(head);
  const records = binary ? refuse({ line: 1, message: binary }, options) : format === 'csv' ? readCsv(file, totalBytes, options, columns) : readJson(file, totalBytes, options, columns);
  return { format, columns, records };
}

/** A file that is not text at all: one problem, and no records. */
async function* refuse(issue: ImportIssue, options: SourceOptions): AsyncGenerator<SourceRecord> {
  options.onIssue(issue);
}

/** A file's bytes, checked to be UTF-8 as they are read (a NotUtf8Error names the first line that is not). */
function readChecked(file: string): { stream: fs.ReadStream; text: Utf8Check } {
  const stream = fs.createReadStream(file);
  const text = new Utf8Check();
  stream.on('error', (err) => text.destroy(err));
  stream.pipe(text);
  return { stream, text };
}

function tooWide(count: string, options: SourceOptions): string {
  return `${count}; an import file has at most ${MAX_COLUMNS} (${options.kind ? `${options.kind} files have` : 'this kind has'} ${options.columns.length}: ${options.columns.join(', ')})`;
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

function checkHeader(columns: string[], options: SourceOptions, located: boolean): void {
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    const at = located ? { line: 1, column: i + 1 } : { line: 1 };
    if (!options.columns.includes(name)) {
      options.onIssue({ ...at, field: name, message: `unknown column ${JSON.stringify(name)} (columns: ${options.columns.join(', ')})` });
    }
    if (seen.has(name)) options.onIssue({ ...at, field: name, message: `column ${JSON.stringify(name)} appears twice` });
    seen.add(name);
  });
  for (const name of options.required) {
    if (!seen.has(name)) options.onIssue({ line: 1, field: name, message: `the required column ${JSON.stringify(name)} is missing` });
  }
}

/**
 * Line breaks in a record's raw text: `\n`, `\r\n` or a lone `\r`. csv-parse keeps the `\r` of
 * a CRLF that ends a record but not its `\n`, so a lone `\r` counts as one too.
 */
function lineBreaks(raw: string, from = 0, to = raw.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10 || (c === 13 && raw.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** The blank lines csv-parse skipped before a record are the start of its raw text. */
function leadingBlankLines(raw: string): number {
  let end = 0;
  while (end < raw.length && (raw.charCodeAt(end) === 10 || raw.charCodeAt(end) === 13)) end++;
  return lineBreaks(raw, 0, end);
}

async function* readCsv(file: string, totalBytes: number, options: SourceOptions, columns: string[]): AsyncGenerator<SourceRecord> {
  const tick = progressTicker(options, totalBytes);
  const { stream, text } = readChecked(file);
  // Line numbers come from counting the line breaks of each record's raw text, not from
  // csv-parse's `info` (a new object of a dozen fields for every record, which costs memory).
  const parser = parse({ bom: true, raw: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS });
  text.on('error', (err) => parser.destroy(err));
  text.pipe(parser);
  let header = false;
  let failed = false;
  let rows = 0;
  let linesBefore = 0;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = linesBefore + 1 + leadingBlankLines(chunk.raw);
      linesBefore += lineBreaks(chunk.raw);
      if (!header) {
        header = true;
        if (chunk.record.length > MAX_COLUMNS) {
          options.onIssue({ line, message: tooWide(`the header has ${chunk.record.length} columns`, options) });
          failed = true;
          return;
        }
        for (const name of chunk.record) columns.push(normaliseHeader(name));
        checkHeader(columns, options, true);
        continue;
      }
      const values = chunk.record;
      if (values.length !== columns.length) {
        // One stray value is the classic unquoted comma; name where the extra one starts.
        options.onIssue({
          line,
          column: Math.min(values.length, columns.length) + (values.length > columns.length ? 1 : 0),
          message: `${values.length} values where the header has ${columns.length} columns${values.length > columns.length ? ' (a comma inside an unquoted value? quote it: "a, b")' : ''}`,
        });
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) fields[columns[i]] = values[i];
      rows++;
      yield { line, fields };
      tick(stream.bytesRead, rows);
    }
  } catch (err) {
    failed = true;
    if (err instanceof NotUtf8Error) {
      options.onIssue({ line: await lineAt(file, err.offset), message: NOT_UTF8 });
      return;
    }
    // csv-parse's own errors (CsvError) have codes with and without a CSV_ prefix
    // (INVALID_OPENING_QUOTE, CSV_QUOTE_NOT_CLOSED…): every one of them is a problem with the file.
    if (!(err instanceof CsvError)) throw err;
    const e = err as CsvError & { lines?: number };
    const why = e.code === 'CSV_MAX_RECORD_SIZE' ? `a row is longer than ${MAX_RECORD_CHARS} characters (a quote that is never closed?)` : e.message.replace(/^.*?: /, '');
    options.onIssue({ line: e.lines ?? 0, message: `the file is not valid CSV: ${why}` });
  } finally {
    text.unpipe(parser);
    stream.destroy();
    text.destroy();
  }
  tick(totalBytes, rows, true);
  if (!header && !failed) options.onIssue({ line: 1, message: 'the file is empty: it needs a header row naming its columns' });
}

/**
 * Splits a top-level JSON array into its elements' text and start lines as the text arrives, in
 * pieces, without building the values, so a syntax error is pinned to the element (and line) it
 * is in.
 */
export class JsonArraySplitter {
  #state: 'start' | 'first' | 'next' | 'element' | 'after' | 'done' = 'start';
  #line = 1;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #pieces: string[] = [];
  #size = 0;
  #elementLine = 0;
  issue: ImportIssue | undefined;

  /** Reads the next piece of the text; calls `element` for each element that it completes. */
  push(text: string, element: (text: string, line: number) => void): void {
    let from = -1; // where the current element starts in this piece
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.#state === 'done') return;
      if (this.#state !== 'element') {
        if (c === 10) this.#line++;
        if (c === 10 || c === 32 || c === 9 || c === 13 || c === 0xfeff) continue;
        if (this.#state === 'start') {
          if (c === 91 /* [ */) this.#state = 'first';
          else this.#fail({ line: this.#line, message: 'a JSON import is an array of objects: [ {...}, {...} ]' });
          continue;
        }
        if (this.#state === 'after') {
          this.#fail({ line: this.#line, message: 'unexpected text after the closing ]' });
          continue;
        }
        if (this.#state === 'first' && c === 93 /* ] */) {
          this.#state = 'after';
          continue;
        }
        // This character is the first of an element.
        this.#state = 'element';
        this.#depth = 0;
        this.#inString = false;
        this.#escaped = false;
        this.#elementLine = this.#line;
        this.#pieces = [];
        this.#size = 0;
      }
      if (from < 0) from = i;
      if (this.#escaped) {
        // The character after a backslash inside a string is skipped, a line break included.
        this.#escaped = false;
        continue;
      }
      if (c === 10) this.#line++;
      if (this.#inString) {
        if (c === 92 /* \ */) this.#escaped = true;
        else if (c === 34 /* " */) this.#inString = false;
        continue;
      }
      let end = false;
      if (c === 34) this.#inString = true;
      else if (c === 123 || c === 91) this.#depth++;
      else if (c === 125 || c === 93) {
        if (this.#depth === 0) end = true;
        else this.#depth--;
      } else if (c === 44 /* , */ && this.#depth === 0) end = true;
      if (!end) continue;
      this.#pieces.push(text.slice(from, i));
      from = -1;
      element(this.#pieces.join(''), this.#elementLine);
      this.#pieces = [];
      // A ']' closes the array; a ',' (or a stray '}') is followed by the next element.
      this.#state = c === 93 ? 'after' : 'next';
    }
    if (this.#state === 'element' && from >= 0) {
      this.#pieces.push(text.slice(from));
      this.#size += text.length - from;
      if (this.#size > MAX_RECORD_CHARS) this.#fail({ line: this.#elementLine, message: `an element is longer than ${MAX_RECORD_CHARS} characters: is the array's closing ] or a quote missing?` });
    }
  }

  /** The text has ended: calls `element` for one left open, and says what was missing. */
  end(element: (text: string, line: number) => void): void {
    switch (this.#state) {
      case 'start':
        this.#fail({ line: this.#line, message: 'a JSON import is an array of objects: [ {...}, {...} ]' });
        break;
      case 'first':
      case 'next':
        this.#fail({ line: this.#line, message: 'the JSON array is not closed with ]' });
        break;
      case 'element':
        if (this.#inString) {
          this.#fail({ line: this.#elementLine, message: 'a string is not closed (a missing ")' });
          break;
        }
        element(this.#pieces.join(''), this.#elementLine);
        this.#fail({ line: this.#line, message: 'the JSON array is not closed with ]' });
        break;
    }
    this.#pieces = [];
  }

  #fail(issue: ImportIssue): void {
    this.issue = issue;
    this.#state = 'done';
  }
}

async function* readJson(file: string, totalBytes: number, options: SourceOptions, columns: string[]): AsyncGenerator<SourceRecord> {
  const tick = progressTicker(options, totalBytes);
  const { stream, text } = readChecked(file);
  const splitter = new JsonArraySplitter();
  const decoder = new StringDecoder('utf8');
  const known = new Set<string>();
  const elements: { text: string; line: number }[] = [];
  const collect = (text: string, line: number) => elements.push({ text, line });
  let bytes = 0;
  let rows = 0;

  /** The elements read so far, as records; false once the file turned out to be too wide to go on. */
  function* records(): Generator<SourceRecord, boolean> {
    for (const el of elements) {
      let value: unknown;
      try {
        value = JSON.parse(el.text);
      } catch (err) {
        options.onIssue({ line: el.line, message: `not valid JSON: ${(err as Error).message.split('\n')[0].replace(/, ".*$/s, '')}` });
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        options.onIssue({ line: el.line, message: 'each element must be an object such as {"email": "ana@example.com"}' });
        continue;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      // Checked before any of the object's fields is named, so the width is the problem listed.
      const names = entries.map(([key]) => normaliseHeader(key));
      let unseen = 0;
      for (const name of names) if (!known.has(name)) unseen++;
      if (known.size + unseen > MAX_COLUMNS) {
        options.onIssue({ line: el.line, message: tooWide(`the file has more than ${MAX_COLUMNS} different fields`, options) });
        return false;
      }
      const fields: Record<string, unknown> = {};
      for (const [i, [key, v]] of entries.entries()) {
        const name = names[i];
        fields[name] = v;
        if (known.has(name)) continue;
        known.add(name);
        columns.push(name);
        // In JSON a key missing from one object is a missing value, not a missing column: only unknown keys are the file's fault.
        if (!options.columns.includes(name)) {
          options.onIssue({ line: el.line, field: name, message: `unknown field ${JSON.stringify(key)} (fields: ${options.columns.join(', ')})` });
        }
      }
      rows++;
      yield { line: el.line, fields };
    }
    elements.length = 0;
    return true;
  }

  try {
    for await (const chunk of text) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      splitter.push(decoder.write(buf), collect);
      if (!(yield* records())) return;
      tick(bytes, rows);
    }
    splitter.push(decoder.end(), collect);
    splitter.end(collect);
    if (!(yield* records())) return;
  } catch (err) {
    if (!(err instanceof NotUtf8Error)) throw err;
    options.onIssue({ line: await lineAt(file, err.offset), message: NOT_UTF8 });
    return;
  } finally {
    stream.destroy();
    text.destroy();
  }
  if (splitter.issue) options.onIssue(splitter.issue);
  tick(totalBytes, rows, true);
}
