// PINs are hashed with scrypt (a memory-hard KDF), each with its own salt; never stored in clear.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pin: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pin, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

export interface PinParams {
  N: number;
  r: number;
  p: number;
}

/**
 * A PIN has only 10^4 to 10^12 values, so whoever copies the database can try them all offline:
 * the cost per guess is all that stands in the way. N=2^17 (128 MiB) is what a login can afford
 * here (measured: ~0.3 s on an idle 2-core box, ~0.8 s CPU under load; N=2^14 was ~32 ms).
 */
export const PIN_PARAMS: PinParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

// scrypt needs 128·N·r bytes; Node's default limit (32 MiB) is below that for N=2^17.
const maxmemFor = ({ N, r, p }: PinParams) => 128 * N * r * p + 32 * 1024 * 1024;

/** `scrypt$N$r$p$salt$hash`, base64 parts: the parameters travel with the hash so they can be raised later. */
export async function hashPin(pin: string, params: PinParams = PIN_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEY_LENGTH, { ...params, maxmem: maxmemFor(params) });
  return format(params, salt, key);
}

const format = (params: PinParams, salt: Buffer, key: Buffer) => ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');

function parse(stored: string): { params: PinParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !hash || ![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0)) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await scrypt(pin, parsed.salt, parsed.hash.length, { ...parsed.params, maxmem: maxmemFor(parsed.params) });
  return timingSafeEqual(key, parsed.hash);
}

/** True for a hash made at a lower cost than today's: rehashed at the next successful login. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.N < PIN_PARAMS.N || parsed.params.r < PIN_PARAMS.r || parsed.params.p < PIN_PARAMS.p;
}

/**
 * What an unknown name's PIN is checked against: a hash of today's cost that no PIN matches (its
 * key is not the output of any PIN), so an unknown name takes as long to refuse as a known one.
 */
export const DUMMY_PIN_HASH = format(PIN_PARAMS, Buffer.alloc(16), Buffer.alloc(KEY_LENGTH));

/** The hash a PIN is checked against: the member's, or the dummy when there is no such member. */
export const hashToCheck = (stored: string | undefined): string => stored ?? DUMMY_PIN_HASH;
