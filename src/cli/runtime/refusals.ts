// The command line's words for the core's refusals: where a refusal's remedy is a flag to add or a
// command to run, the core gives its reason and facts (src/core/errors.ts) and this table says it
// as the command line does. A refusal with no entry is said as the core words it.
import type { BoxofficeError, Reason, Refusals } from '../../core/errors.js';

export interface Words {
  message: string;
  hint?: string;
}

type Wording<R extends Reason> = (facts: Refusals[R], said: Words) => Partial<Words>;

/** The flag that takes each value the core names by its domain name (value_invalid). */
const FLAG_OF_FIELD: Record<string, string> = { starts: '--starts', ends: '--ends', from: '--from', to: '--to', float: '--float', counted: '--counted' };

const CLI_WORDS: { [R in Reason]?: Wording<R> } = {
  value_invalid: ({ field, problem }, said) => (FLAG_OF_FIELD[field] ? { message: `${FLAG_OF_FIELD[field]} ${problem}` } : said),
  customer_by_id: () => ({ hint: 'look them up by their email: boxoffice customer show ana@example.com' }),
  order_has_no_email: ({ order }) => ({ hint: `say where to send it: boxoffice tickets email ${order} --to ana@example.com` }),
  mail_not_queued: () => ({ hint: 'see the queue with: boxoffice mail list' }),
  moved_clock_live: () => ({ hint: 'unset BOXOFFICE_NOW; to rehearse, copy the database and mark the copy: boxoffice backup rehearsal.db && boxoffice --db rehearsal.db init --rehearsal' }),
  tier_unknown: ({ tiers }, said) => (tiers.length ? said : { hint: 'set prices first: boxoffice event price' }),
  zone_unknown: ({ zones }) => ({ hint: zones.length ? `its zones: ${zones.join(', ')} (leave out --zone for the price of every other seat)` : 'its seats have no zones: leave out --zone' }),
  venue_has_no_seat_map: ({ venue }) => ({ hint: `add one: boxoffice venue seatmap generate ${JSON.stringify(venue)} --section Stalls --rows A-J --seats 1-20` }),
  event_has_no_prices: ({ eventId }) => ({ hint: `add one: boxoffice event price ${eventId} --tier Adult --price 25.00` }),
  no_staff: () => ({ message: 'no staff are defined: boxoffice runs single-user, there is nobody to log in as', hint: 'add an admin: boxoffice staff add NAME --role admin --pin PIN' }),
  staff_locked: ({ name }) => ({ hint: `a manager or admin can unlock: boxoffice staff unlock ${name} (or set a new PIN: boxoffice staff pin ${name})` }),
  first_staff_not_admin: () => ({ hint: 'add an admin first: --role admin' }),
  import_rows_invalid: () => ({ hint: 'fix the rows named above and import again (add --dry-run to check without writing)' }),
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
};

/** The message and hint the command line shows for `err`. */
export function cliWords(err: BoxofficeError): Words {
  const said: Words = { message: err.message, hint: err.hint };
  const wording = err.reason === undefined ? undefined : (CLI_WORDS[err.reason] as Wording<Reason> | undefined);
  if (!wording) return said;
  const words = { ...said, ...wording(err.facts as Refusals[Reason], said) };
  return words.hint === undefined ? { message: words.message } : words;
}
