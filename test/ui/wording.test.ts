// Core refusals are worded for the command line; the screens say them without flags.
import { describe, expect, it } from 'vitest';
import { BoxofficeError } from '../../src/core/errors.js';
import { checkPaymentShape } from '../../src/core/orders/payment.js';
import { noticeFrom } from '../../src/ui/components/notice.js';
import { screenWords } from '../../src/ui/wording.js';

function refusal(f: () => unknown): BoxofficeError {
  try {
    f();
  } catch (err) {
    if (err instanceof BoxofficeError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('screen wording', () => {
  it('says a known core refusal in the screen’s own terms', () => {
    const err = refusal(() => checkPaymentShape({ method: 'card' }));
    expect(err.message).toContain('--card-ref');
    expect(noticeFrom(err)).toEqual({ kind: 'error', text: "a card payment needs the terminal reference: type it in Card ref (it is on the card terminal's slip)" });
    expect(screenWords('seat_unavailable', 'not available: A-1', 'choose other seats, or --best N')).toEqual({ text: 'not available: A-1', hint: 'choose other seats, or press b for the best N together' });
    expect(screenWords('invalid_input', 'say which tier: --tier Adult|Child').text).toBe('say which tier: Adult, Child');
    expect(screenWords('invalid_input', 'order K7P3QX has no email address', 'say where to send it: boxoffice tickets email K7P3QX --to ana@example.com')).toEqual({
      text: 'order K7P3QX has no email address: none was given at payment',
      hint: 'print the tickets (p) or save the PDF (s) instead',
    });
  });

  it('drops the flags from anything else: a trailing ": --flag ARG", dashes, and a hint that only explains a flag', () => {
    expect(screenWords('invalid_input', 'an external payment needs its reference: --ref R')).toEqual({ text: 'an external payment needs its reference', hint: undefined });
    expect(screenWords('invalid_input', 'section Floor is general admission: use --quantity').text).toBe('section Floor is general admission: use quantity');
    expect(screenWords('not_found', 'tier Adult has no price for zone P', 'set one: boxoffice event price 1 --tier Adult --price 25.00 --zone P').hint).toBe('a manager sets it with boxoffice event price');
    expect(screenWords('invalid_state', 'x', 'refund the others with --tickets').hint).toBeUndefined();
    // Words with no flag are the core's, unchanged.
    expect(screenWords('forbidden', 'Carl (clerk) may not give complimentary tickets', 'ask a manager, or log in as one')).toEqual({
      text: 'Carl (clerk) may not give complimentary tickets',
      hint: 'ask a manager, or log in as one',
    });
    for (const text of ['a card payment needs the terminal reference: --card-ref R', '--tendered is for cash payments', 'choose seats with exactly one of --seats, --best N or --quantity N']) {
      const words = screenWords('invalid_input', text, 'e.g. --tier Adult');
      expect(`${words.text} ${words.hint ?? ''}`).not.toMatch(/--[a-z]/);
    }
  });
});
