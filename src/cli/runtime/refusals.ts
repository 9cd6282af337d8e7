// The command line's words for the core's refusals: where a refusal's remedy is a flag to add or a
// command to run, the core gives its reason and facts (src/core/errors.ts) and this table says it
// as the command line does. A refusal with no entry is said as the core words it.
import type { BoxofficeError, Reason, Refusals } from '../../core/errors.js';

export interface Words {
  message: string;
  hint?: string;
  /** The refusal's details as the command line gives them in `--json` (where they quote its words). */
  details?: Record<string, unknown>;
}

type Wording<R extends Reason> = (facts: Refusals[R], said: Words) => Partial<Words>;

/** The hint of an import refused for its rows. */
const FIX_ROWS = 'fix the rows named above and import again (add --dry-run to check without writing)';

/** The flag that takes each value the core names by its domain name (value_invalid). */
const FLAG_OF_FIELD: Record<string, string> = { starts: '--starts', ends: '--ends', from: '--from', to: '--to', float: '--float', counted: '--counted' };

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
  no_printer: () => ({ hint: 'name one with --printer P (or BOXOFFICE_PRINTER)' }),
  order_not_paid: ({ order }) => ({ hint: `pay it first: boxoffice order pay ${order} --pay cash` }),
  order_unknown: () => ({ hint: 'find it with: boxoffice order find <name, email or code>' }),
  orders_list_forbidden: () => ({ hint: 'find the one you need: boxoffice order find <code, email or name>' }),
  paid_order_is_refunded: ({ order, manager }) => ({ hint: manager ? `boxoffice order refund ${order}` : `ask a manager to refund it: boxoffice order refund ${order}` }),
  refund_tickets_and_amount: () => ({ message: 'refund either --tickets or --amount, not both' }),
  ticket_used_refund_others: () => ({ hint: 'refund the others with --tickets' }),
  // Outside the sale path.
  value_invalid: ({ field, problem }, said) => (FLAG_OF_FIELD[field] ? { message: `${FLAG_OF_FIELD[field]} ${problem}` } : said),
  customer_by_id: () => ({ hint: 'look them up by their email: boxoffice customer show ana@example.com' }),
  order_has_no_email: ({ order }) => ({ hint: `say where to send it: boxoffice tickets email ${order} --to ana@example.com` }),
  mail_not_queued: () => ({ hint: 'see the queue with: boxoffice mail list' }),
  moved_clock_live: () => ({ hint: 'unset BOXOFFICE_NOW; to rehearse, copy the database and mark the copy: boxoffice backup rehearsal.db && boxoffice --db rehearsal.db init --rehearsal' }),
  zone_unknown: ({ zones }) => ({ hint: zones.length ? `its zones: ${zones.join(', ')} (leave out --zone for the price of every other seat)` : 'its seats have no zones: leave out --zone' }),
  venue_has_no_seat_map: ({ venue }) => ({ hint: `add one: boxoffice venue seatmap generate ${JSON.stringify(venue)} --section Stalls --rows A-J --seats 1-20` }),
  event_has_no_prices: ({ eventId }) => ({ hint: `add one: boxoffice event price ${eventId} --tier Adult --price 25.00` }),
  no_staff: () => ({ message: 'no staff are defined: boxoffice runs single-user, there is nobody to log in as', hint: 'add an admin: boxoffice staff add NAME --role admin --pin PIN' }),
  staff_locked: ({ name }) => ({ hint: `a manager or admin can unlock: boxoffice staff unlock ${name} (or set a new PIN: boxoffice staff pin ${name})` }),
  first_staff_not_admin: () => ({ hint: 'add an admin first: --role admin' }),
  import_rows_invalid: () => ({ hint: FIX_ROWS }),
  import_venue_not_seatmap: () => ({ message: '--venue is for seat map imports' }),
  export_format_unknown: () => ({ hint: 'use --format csv or --format json' }),
  export_customers_per_event: () => ({ message: 'customers are not per event: leave out --event' }),
  sync_consumer_and_since: () => ({ message: 'give either --consumer (resume from its cursor) or --since (a sequence number), not both' }),
  sync_since_invalid: () => ({ message: '--since must be a sequence number (0 for the beginning)' }),
  sync_consumer_unknown: () => ({ hint: 'a consumer is created by its first: boxoffice sync export --consumer NAME' }),
  operator_unknown: () => ({ hint: 'operators are staff names (boxoffice staff list)' }),
  drawer_currency_not_chosen: ({ operator, currencies }) => ({ message: `${operator}'s drawer holds ${currencies.join(' and ')}: say which with --currency` }),
  drawer_counted_elsewhere: () => ({ hint: 'look at it again: boxoffice report cashup' }),
  drawer_not_counted: () => ({ hint: 'add --counted 412.50 (what is in the drawer)' }),
  zreport_unknown: () => ({ hint: 'list them with: boxoffice report zreports' }),
  output_is_database: ({ file }) => ({ message: `cannot write ${file}: it is the box office's database (or one of its files), not to be replaced even with --force` }),
  output_exists: () => ({ hint: 'add --force to replace it, or choose another name' }),
  reference_unknown: ({ kind }) => ({ hint: `list them with: boxoffice ${kind} list` }),
  // Imports.
  import_venue_unresolved: () => ({ hint: 'list venues with: boxoffice venue list' }),
  seatmap_venue_not_named: ({ message }, said) => {
    const cli = 'is required (or name the venue for the whole file: --venue V)';
    const errors = said.details?.errors as { message: string }[] | undefined;
    return {
      message: said.message.replaceAll(`: ${message}`, `: ${cli}`),
      hint: FIX_ROWS,
      details: errors ? { ...said.details, errors: errors.map((e) => (e.message === message ? { ...e, message: cli } : e)) } : said.details,
    };
  },
};

/** The message and hint the command line shows for `err`. */
export function cliWords(err: BoxofficeError): Words {
  const said: Words = { message: err.message, hint: err.hint, details: err.details };
  const wording = err.reason === undefined ? undefined : (CLI_WORDS[err.reason] as Wording<Reason> | undefined);
  if (!wording) return said;
  const words = { ...said, ...wording(err.facts as Refusals[Reason], said) };
  const { hint, details, message } = words;
  return { message, ...(hint === undefined ? {} : { hint }), ...(details === undefined ? {} : { details }) };
}
