// The command line's words for the core's refusals: where a refusal's remedy is a flag to add or a
// command to run, the core gives its reason and facts (src/core/errors.ts) and this table says it
// as the command line does. A refusal with no entry is said as the core words it.
import type { BoxofficeError, Reason, Refusals } from '../../core/errors.js';

export interface Words {
  message: string;
  hint?: string;
}

type Wording<R extends Reason> = (facts: Refusals[R], said: Words) => Partial<Words>;

const CLI_WORDS: { [R in Reason]?: Wording<R> } = {
  // A sale: the flags that choose places, tiers and a payment.
  card_ref_missing: () => ({ message: 'a card payment needs the terminal reference: --card-ref R' }),
  tendered_not_cash: () => ({ message: '--tendered is for cash payments' }),
  external_ref_missing: () => ({ message: 'an external payment needs its reference: --ref R' }),
  selection_not_one: () => ({ message: 'choose seats with exactly one of --seats, --best N or --quantity N' }),
  count_too_small: ({ what }) => ({ message: `--${what} must be a whole number of at least 1` }),
  hold_minutes_out_of_range: () => ({ message: '--minutes must be a whole number from 1 to 1440' }),
  section_is_standing: ({ section }) => ({ message: `section ${section} is general admission: use --quantity` }),
  no_reserved_seating: () => ({ message: 'this event has no reserved seating: use --quantity N' }),
  section_is_reserved: ({ section }) => ({ message: `section ${section} has reserved seats: use --seats or --best` }),
  no_standing_section: () => ({ message: 'this event has no general-admission section: use --seats or --best' }),
  standing_section_not_chosen: ({ sections }) => ({ message: `this event has several general-admission sections: add --section (${sections.join(', ')})` }),
  seat_not_at_venue: () => ({ hint: 'see the seat map: boxoffice seats <event>' }),
  seats_taken_meanwhile: () => ({ hint: 'see the seat map: boxoffice seats <event>' }),
  seats_taken: () => ({ hint: 'choose other seats, or --best N' }),
  no_adjacent_block: () => ({ hint: 'ask for fewer seats together, or name seats with --seats' }),
  tier_not_chosen: ({ tiers }) => ({ message: `say which tier: --tier ${tiers.join('|') || 'NAME'}` }),
  tier_counts_missing: () => ({ message: 'with several tiers, give each a count: --tier Adult=2,Child=1' }),
  tier_named_twice: () => ({ message: 'a tier is named twice in --tier' }),
  event_has_no_tiers: () => ({ hint: 'set prices first: boxoffice event price' }),
  tier_has_no_price: ({ eventId, tier, zone }) => ({ hint: `set one: boxoffice event price ${eventId} --tier ${tier} --price 25.00${zone ? ` --zone ${zone}` : ''}` }),
  event_not_published: ({ eventId }) => ({ hint: `publish it first: boxoffice event publish ${eventId}` }),
  // After the sale: orders and refunds.
  order_unknown: () => ({ hint: 'find it with: boxoffice order find <name, email or code>' }),
  orders_list_forbidden: () => ({ hint: 'find the one you need: boxoffice order find <code, email or name>' }),
  paid_order_is_refunded: ({ order, manager }) => ({ hint: manager ? `boxoffice order refund ${order}` : `ask a manager to refund it: boxoffice order refund ${order}` }),
  refund_tickets_and_amount: () => ({ message: 'refund either --tickets or --amount, not both' }),
  ticket_used_refund_others: () => ({ hint: 'refund the others with --tickets' }),
};

/** The message and hint the command line shows for `err`. */
export function cliWords(err: BoxofficeError): Words {
  const said: Words = { message: err.message, hint: err.hint };
  const wording = err.reason === undefined ? undefined : (CLI_WORDS[err.reason] as Wording<Reason> | undefined);
  if (!wording) return said;
  const words = { ...said, ...wording(err.facts as Refusals[Reason], said) };
  return words.hint === undefined ? { message: words.message } : words;
}
