// Codes people read and codes machines scan.
import { randomFillSync, randomInt } from 'node:crypto';

// Random bytes from the system's CSPRNG, drawn 4 KiB at a time: asking for 16 bytes costs about as
// much as asking for 4,096, and a sale needs a dozen small draws (crypto.randomUUID batches the
// same way). Each draw is copied out and never handed out twice.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomBytes(n: number): Buffer {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + n));
  poolAt += n;
  return bytes;
}

// No 0/O, 1/I/L, 2/Z, 5/S, 8/B: an order code is read aloud at the window and typed back.
const ORDER_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const ORDER_CODE_LENGTH = 6;

/** A short human order code such as K7P3QX (25^6 ≈ 244 million; uniqueness is checked on insert). */
export function newOrderCode(): string {
  let code = '';
  for (let i = 0; i < ORDER_CODE_LENGTH; i++) code += ORDER_ALPHABET[randomInt(ORDER_ALPHABET.length)];
  return code;
}

/** What people type for an order code, made comparable: case, spaces and dashes do not matter. */
export function normaliseOrderCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]/g, '');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable ticket code: 130 random bits as 26 Crockford base-32 characters. */
export function newTicketCode(): string {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** A ticket code as typed or scanned, made comparable (Crockford: O→0, I/L→1, case-blind). */
export function normaliseTicketCode(input: string): string {
  return input.trim().toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * A unique id for rows many sales append (outbox events, generated idempotency keys): a UUID
 * version 7, whose first 48 bits are the time in milliseconds and the rest random. Ids made one
 * after another sit side by side in their index, so a sale changes one index page for its five
 * events instead of five random ones, and writes that much less at each commit (sales were about
 * a quarter faster on this machine). Not a secret: it tells when it was made, as an event's
 * `time` does.
 */
export function newId(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // the RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
