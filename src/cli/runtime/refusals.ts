// The command line's words for the core's refusals: where a refusal's remedy is a flag to add or a
// command to run, the core gives its reason and facts (src/core/errors.ts) and this table says it
// as the command line does. A refusal with no entry is said as the core words it.
import type { BoxofficeError, Reason, Refusals } from '../../core/errors.js';

export interface Words {
  message: string;
  hint?: string;
}

type Wording<R extends Reason> = (facts: Refusals[R], said: Words) => Partial<Words>;

const CLI_WORDS: { [R in Reason]?: Wording<R> } = {};

/** The message and hint the command line shows for `err`. */
export function cliWords(err: BoxofficeError): Words {
  const said: Words = { message: err.message, hint: err.hint };
  const wording = err.reason === undefined ? undefined : (CLI_WORDS[err.reason] as Wording<Reason> | undefined);
  if (!wording) return said;
  const words = { ...said, ...wording(err.facts as Refusals[Reason], said) };
  return words.hint === undefined ? { message: words.message } : words;
}
