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

const CLI_WORDS: { [R in Reason]?: Wording<R> } = {
  import_venue_unresolved: () => ({ hint: 'list venues with: boxoffice venue list' }),
  seatmap_venue_not_named: ({ message }, said) => {
    const cli = 'is required (or name the venue for the whole file: --venue V)';
    const errors = said.details?.errors as { message: string }[] | undefined;
    return {
      message: said.message.replaceAll(`: ${message}`, `: ${cli}`),
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
