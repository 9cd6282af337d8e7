// The PIN hash: its cost, old hashes, and the dummy an unknown name is checked against.
import { describe, expect, it } from 'vitest';
import { DUMMY_PIN_HASH, PIN_PARAMS, hashPin, hashToCheck, needsRehash, verifyPin } from '../../src/core/staff/pin.js';

describe('PIN hashes', () => {
  it('are scrypt at N=2^17, self-describing, and verify', async () => {
    expect(PIN_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const stored = await hashPin('4821');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPin('4821', stored)).toBe(true);
    expect(await verifyPin('4822', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('made at the old cost still verify, and are due for a rehash', async () => {
    const old = await hashPin('4821', { N: 16384, r: 8, p: 1 });
    expect(await verifyPin('4821', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('an unknown name is checked against a dummy hash of the same cost, which no PIN matches', async () => {
    expect(hashToCheck(undefined)).toBe(DUMMY_PIN_HASH);
    expect(hashToCheck('scrypt$1$2$3$a$b')).toBe('scrypt$1$2$3$a$b');
    expect(DUMMY_PIN_HASH.split('$').slice(0, 4)).toEqual(['scrypt', String(PIN_PARAMS.N), String(PIN_PARAMS.r), String(PIN_PARAMS.p)]);
    expect(needsRehash(DUMMY_PIN_HASH)).toBe(false);
    expect(await verifyPin('0000', DUMMY_PIN_HASH)).toBe(false);
  });
});
