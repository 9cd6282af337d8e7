// The UTF-8 check of import files, fed in pieces of every size: characters split between reads
// pass, and the first byte that is not UTF-8 is named by its line, as the CSV reader counts lines.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotUtf8Error, Utf8Check, lineBreaks, sniffBinary } from '../../src/core/data/encoding.js';

/** Feeds `bytes` through a Utf8Check in pieces of these sizes; the line of the error, or 0. */
async function check(bytes: Buffer, sizes: number[]): Promise<number> {
  const pieces: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes.length ? sizes[i % sizes.length] : bytes.length;
    pieces.push(bytes.subarray(at, at + n));
    at += n;
  }
  const out: Buffer[] = [];
  try {
    for await (const chunk of Readable.from(pieces).pipe(new Utf8Check())) out.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof NotUtf8Error) return 1 + lineBreaks(bytes.subarray(0, err.offset));
    throw err;
  }
  expect(Buffer.concat(out).equals(bytes)).toBe(true);
  return 0;
}

const line = fc
  .oneof(fc.string({ unit: fc.constantFrom('a', ',', '"', 'é', '€', '😀', '\u0085', '\u2028'), maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }))
  .map((s) => s.replace(/[\r\n]/g, ''));
const lines = fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { minLength: 1, maxLength: 30 });
const sizes = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 5 });

describe('Utf8Check', () => {
  it('passes any UTF-8 text unchanged, however it is split', async () => {
    await fc.assert(
      fc.asyncProperty(lines, sizes, async (ls, sz) => {
        expect(await check(Buffer.from(`\uFEFF${ls.map(([l, b]) => l + b).join('')}`), sz)).toBe(0);
      }),
    );
  });

  it('names the line of the first byte that is not UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(lines, fc.nat(), fc.constantFrom(0xff, 0xe9, 0x80, 0xc3, 0xf0), sizes, async (ls, pick, bad, sz) => {
        const k = pick % ls.length;
        const before = ls
          .slice(0, k)
          .map(([l, b]) => l + b)
          .join('');
        const after = Buffer.from(
          ls
            .slice(k)
            .map(([l, b]) => l + b)
            .join(''),
        );
        // The bad byte starts the line after `before`'s line breaks (a CR then an LF is one).
        const line = 1 + (before.match(/\r\n|\r|\n/g)?.length ?? 0);
        expect(await check(Buffer.concat([Buffer.from(before), Buffer.from([bad, 0x0a]), after]), sz)).toBe(line);
      }),
      { numRuns: 500 },
    );
  });

  it('a file that ends inside a character is not UTF-8', async () => {
    expect(await check(Buffer.from([0x61, 0x0a, 0xe2, 0x82]), [1])).toBe(2);
  });
});

describe('sniffBinary', () => {
  it('tells binary and UTF-16 files from text', () => {
    expect(sniffBinary(Buffer.from('email\nana@example.com\n'))).toBeUndefined();
    expect(sniffBinary(Buffer.from('\uFEFFemail\n'))).toBeUndefined();
    expect(sniffBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatch(/not a text CSV or JSON file/);
    expect(sniffBinary(Buffer.from([0xff, 0xfe, 0x65, 0x00]))).toMatch(/UTF-16/);
  });
});
