// The screens' words for the core's refusals. The core says a refusal in the domain's terms and,
// where a front words it its own way (a field to fill, a key to press), gives a reason with its
// facts (src/core/errors.ts): those are said here in the screen's terms, by code and reason; any
// other refusal as the core words it.
import type { BoxofficeError, Reason, Refusals } from '../core/errors.js';

export interface ScreenWords {
  text: string;
  hint?: string;
}

type Wording<R extends Reason> = (facts: Refusals[R], said: ScreenWords) => ScreenWords;

const SCREEN_WORDS: { [R in Reason]?: Wording<R> } = {
  card_ref_missing: () => ({ text: "a card payment needs the terminal reference: type it in Card ref (it is on the card terminal's slip)" }),
  tendered_not_cash: () => ({ text: 'an amount tendered is for cash payments only' }),
  tier_not_chosen: ({ tiers }) => ({ text: `say which tier: ${tiers.join(', ') || 'NAME'}`, hint: 'choose it in the cart' }),
  seats_taken: (_facts, said) => ({ text: said.text, hint: 'choose other seats, or press b for the best N together' }),
  no_adjacent_block: (_facts, said) => ({ text: said.text, hint: 'ask for fewer seats together (b), or pick seats one by one with space' }),
  order_has_no_email: (_facts, said) => ({ text: `${said.text}: none was given at payment`, hint: 'print the tickets (p) or save the PDF (s) instead' }),
  no_printer: (_facts, said) => ({ text: said.text, hint: "open boxoffice ui with BOXOFFICE_PRINTER set to the printer's name" }),
  tier_has_no_price: (_facts, said) => ({ text: said.text, hint: 'a manager sets it with boxoffice event price' }),
  count_too_small: ({ what }) => ({ text: `${what} must be a whole number of at least 1` }),
  hold_minutes_out_of_range: () => ({ text: 'minutes must be a whole number from 1 to 1440' }),
  ticket_used_refund_others: (_facts, said) => ({ text: said.text }),
};

/** The words the screen shows for a core refusal. */
export function screenWords(err: Pick<BoxofficeError, 'code' | 'message' | 'hint' | 'reason' | 'facts'>): ScreenWords {
  const said: ScreenWords = { text: err.message, hint: err.hint };
  const wording = err.reason === undefined ? undefined : (SCREEN_WORDS[err.reason] as Wording<Reason> | undefined);
  return wording ? wording(err.facts as Refusals[Reason], said) : said;
}
