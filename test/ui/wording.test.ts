// Core refusals carry a reason where the fronts word them their own way: the command line names
// its flags, the screens say them in their own terms, by code and reason, never by the message.
import { describe, expect, it } from 'vitest';
import { BoxofficeError, invalid } from '../../src/core/errors.js';
import { checkPaymentShape, type PaymentRequest } from '../../src/core/orders/payment.js';
import { noticeFrom } from '../../src/ui/components/notice.js';
import { screenWords } from '../../src/ui/wording.js';
import { cliWords } from '../../src/cli/runtime/refusals.js';

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
  it('says a known core refusal in the screen’s own terms, and the command line in its flags', () => {
    const err = refusal(() => checkPaymentShape({ method: 'card' } as PaymentRequest));
    expect(err.message).not.toContain('--');
    expect(cliWords(err).message).toBe('a card payment needs the terminal reference: --card-ref R');
    expect(noticeFrom(err)).toEqual({ kind: 'error', text: "a card payment needs the terminal reference: type it in Card ref (it is on the card terminal's slip)" });
    const taken = new BoxofficeError('seat_unavailable', 'not available: A-1 is sold', 'choose other seats', { seats: ['A-1 is sold'] }).because('seats_taken', { seats: ['A-1 is sold'] });
    expect(screenWords(taken)).toEqual({ text: 'not available: A-1 is sold', hint: 'choose other seats, or press b for the best N together' });
    expect(cliWords(taken).hint).toBe('choose other seats, or --best N');
    expect(screenWords(invalid('say which tier').because('tier_not_chosen', { tiers: ['Adult', 'Child'] })).text).toBe('say which tier: Adult, Child');
    const noEmail = invalid('order K7P3QX has no email address', 'say where to send it').because('order_has_no_email', { order: 'K7P3QX' });
    expect(screenWords(noEmail)).toEqual({ text: 'order K7P3QX has no email address: none was given at payment', hint: 'print the tickets (p) or save the PDF (s) instead' });
  });

  it('says any other refusal as the core words it, which names no flag', () => {
    const external = refusal(() => checkPaymentShape({ method: 'external' } as PaymentRequest));
    expect(screenWords(external)).toEqual({ text: 'an external payment needs its reference', hint: undefined });
    expect(cliWords(external).message).toBe('an external payment needs its reference: --ref R');
    const noPrice = new BoxofficeError('not_found', 'tier Adult has no price for zone P', 'a manager sets its price').because('tier_has_no_price', { eventId: 1, tier: 'Adult', zone: 'P' });
    expect(screenWords(noPrice).hint).toBe('a manager sets it with boxoffice event price');
    expect(cliWords(noPrice).hint).toBe('set one: boxoffice event price 1 --tier Adult --price 25.00 --zone P');
    const used = new BoxofficeError('ticket_used', 'x', 'refund the others by their codes').because('ticket_used_refund_others', { ticket: 'T' });
    expect(screenWords(used).hint).toBeUndefined();
    expect(screenWords(new BoxofficeError('forbidden', 'Carl (clerk) may not give complimentary tickets', 'ask a manager, or log in as one'))).toEqual({
      text: 'Carl (clerk) may not give complimentary tickets',
      hint: 'ask a manager, or log in as one',
    });
  });
});
