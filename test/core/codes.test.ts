import { describe, expect, it } from 'vitest';
import { newId, newOrderCode, newTicketCode, normaliseOrderCode, normaliseTicketCode } from '../../src/core/codes.js';

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

  it('row ids are UUIDs version 7: unique, random after the time, and in the order they were made', async () => {
    const first = newId();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(5000);
    // The first 48 bits are the time in milliseconds: a later id sorts after an earlier one.
    expect(ids.every((id) => id > first)).toBe(true);
    expect(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.now() - 1000);
    // What follows the time is random: every hex digit after it varies across the ids.
    for (let pos = 15; pos < 36; pos++) if (pos !== 18 && pos !== 23) expect(new Set(ids.map((id) => id[pos])).size, `position ${pos}`).toBeGreaterThan(3);
  });

  it('a ticket code typed with look-alike letters still matches', () => {
    const code = newTicketCode();
    const typed = code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normaliseTicketCode(typed)).toBe(code);
  });
});
