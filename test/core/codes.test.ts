import { describe, expect, it } from 'vitest';
import { newOrderCode, newTicketCode, normaliseOrderCode, normaliseTicketCode } from '../../src/core/codes.js';

describe('codes', () => {
  it('order codes are six unambiguous characters and read back whatever the case or spacing', () => {
    for (let i = 0; i < 200; i++) {
      const code = newOrderCode();
      expect(code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
      expect(normaliseOrderCode(` ${code.slice(0, 3).toLowerCase()}-${code.slice(3)} `)).toBe(code);
    }
  });

  it('ticket codes carry at least 128 random bits and never repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const code = newTicketCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      seen.add(code);
    }
    expect(seen.size).toBe(5000);
    // 26 base-32 characters = 130 bits; every position varies.
    const codes = [...seen];
    for (let pos = 0; pos < 26; pos++) expect(new Set(codes.map((c) => c[pos])).size).toBeGreaterThan(16);
  });

  it('a ticket code typed with look-alike letters still matches', () => {
    const code = newTicketCode();
    const typed = code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normaliseTicketCode(typed)).toBe(code);
  });
});
