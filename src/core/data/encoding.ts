// Is an import file UTF-8 text? A binary file (a spreadsheet, an archive) or a UTF-16 one is told
// from the first bytes; bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) are found as
// the file streams through, by line, before anything decodes them into U+FFFD.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

/** How many bytes from the start `sniffBinary` wants to see. */
export const SNIFF_BYTES = 8192;

/** What is wrong with a file whose first bytes are these, if they are not UTF-8 text. */
export function sniffBinary(head: Buffer): string | undefined {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return 'the file is UTF-16 text: save it as UTF-8 (in a spreadsheet: "CSV UTF-8"), or convert it: iconv -f utf-16 -t utf-8 in.csv > out.csv';
  }
  // Text has no NUL bytes; nearly every binary format has some near the start (as git decides).
  if (head.includes(0)) {
    return 'the file is not a text CSV or JSON file (it holds binary data: a spreadsheet, an archive?): save or export it as CSV (UTF-8) or JSON';
  }
  return undefined;
}

export const NOT_UTF8 = 'the file is not UTF-8 text (saved as Latin-1 or Windows-1252?): convert it first, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv';

/** Bytes that are not UTF-8, on the line that starts at byte `offset` of the file (or at least holds it). */
export class NotUtf8Error extends Error {
  constructor(readonly offset: number) {
    super(`byte ${offset}: ${NOT_UTF8}`);
  }
}

/** Line breaks in `buf` as the CSV reader counts them: a CR, an LF, or a CRLF (one); `afterCR`: the byte before `buf` was a CR. */
export function lineBreaks(buf: Buffer, afterCR = false): number {
  let n = 0;
  for (let i = buf.indexOf(13); i !== -1; i = buf.indexOf(13, i + 1)) n++;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) if (!(i === 0 ? afterCR : buf[i - 1] === 13)) n++;
  return n;
}

/** The line (from 1) that byte `offset` of `file` is on: read again, only when a file turned out not to be UTF-8. */
export async function lineAt(file: string, offset: number): Promise<number> {
  let line = 1;
  let afterCR = false;
  if (offset <= 0) return line;
  for await (const chunk of fs.createReadStream(file, { end: offset - 1 })) {
    const buf = chunk as Buffer;
    line += lineBreaks(buf, afterCR);
    afterCR = buf[buf.length - 1] === 13;
  }
  return line;
}

/** Where the first line of `buf` that is not UTF-8 starts (CR and LF are never inside a character). */
function badLineStart(buf: Buffer): number {
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 10 && c !== 13) continue;
    if (!isUtf8(buf.subarray(start, i))) return start;
    start = i + 1;
  }
  return start;
}

/** Where the last character of `buf` starts if a read ended inside it, else `buf.length`. */
function completeLength(buf: Buffer): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i];
    if (b < 0x80) return buf.length;
    if (b >= 0xc0) return buf.length - i >= (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) ? buf.length : i;
  }
  return buf.length;
}

/**
 * Passes a file's bytes through unchanged, and fails with a NotUtf8Error at the first line that
 * is not UTF-8. A character split between two reads is checked once both halves are in. Lines are
 * not counted here (that would cost more than the check): `lineAt` finds the line of an error.
 */
export class Utf8Check extends Transform {
  /** Bytes of the file checked before the carried ones. */
  #checked = 0;
  #carry: Buffer | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    const end = completeLength(data);
    const whole = data.subarray(0, end);
    this.#carry = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    if (!isUtf8(whole)) {
      done(new NotUtf8Error(this.#checked + badLineStart(whole)));
      return;
    }
    this.#checked += end;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    // The file ends inside a character.
    done(this.#carry ? new NotUtf8Error(this.#checked) : null);
  }
}
