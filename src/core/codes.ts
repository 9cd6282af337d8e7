// Codes people read and codes machines scan.
import { randomBytes, randomInt } from 'node:crypto';

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

export function newId(): string {
  return crypto.randomUUID();
}
