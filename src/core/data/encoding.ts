// Is an import file UTF-8 text? A binary file (a spreadsheet, an archive) or a UTF-16 one is told
// from the first bytes; bytes that are not UTF-8 (a Latin-1 or Windows-1252 export) are found as
// the file streams through, by line, before anything decodes them into U+FFFD.
import { isUtf8 } from 'node:buffer';
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

export const NOT_UTF8 =
  'the file is not UTF-8 text (saved as Latin-1 or Windows-1252?): convert it first, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv';

/** Bytes that are not UTF-8, on a line of the file (lines counted as the CSV reader counts them). */
export class NotUtf8Error extends Error {
  constructor(readonly line: number) {
    super(`line ${line}: ${NOT_UTF8}`);
  }
}

/** Line breaks in `buf`: a CR, an LF, or a CRLF (one break); `afterCR` says the byte before `buf` was a CR. */
function lineBreaks(buf: Buffer, afterCR: boolean): number {
  let n = 0;
  for (let i = buf.indexOf(13); i !== -1; i = buf.indexOf(13, i + 1)) n++;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) if (!(i === 0 ? afterCR : buf[i - 1] === 13)) n++;
  return n;
}

/** The line breaks before the first line of `buf` that is not UTF-8 (CR and LF are never inside a character). */
function breaksBeforeBadLine(buf: Buffer, afterCR: boolean): number {
  let start = 0;
  let breaks = 0;
  for (let i = 0; i <= buf.length; i++) {
    const c = i < buf.length ? buf[i] : 10;
    if (c !== 10 && c !== 13) continue;
    if (!isUtf8(buf.subarray(start, i))) break;
    if (c === 13 || !(i === 0 ? afterCR : buf[i - 1] === 13)) breaks++;
    start = i + 1;
  }
  return breaks;
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
 * Passes a file's bytes through unchanged, and fails with a NotUtf8Error naming the line when
 * they are not UTF-8. A character split between two reads is checked once both halves are in.
 */
export class Utf8Check extends Transform {
  #line = 1;
  #afterCR = false;
  #carry: Buffer | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    const end = completeLength(data);
    const whole = data.subarray(0, end);
    this.#carry = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    if (!isUtf8(whole)) {
      done(new NotUtf8Error(this.#line + breaksBeforeBadLine(whole, this.#afterCR)));
      return;
    }
    this.#line += lineBreaks(whole, this.#afterCR);
    if (whole.length > 0) this.#afterCR = whole[whole.length - 1] === 13;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    // The file ends inside a character.
    done(this.#carry ? new NotUtf8Error(this.#line) : null);
  }
}
