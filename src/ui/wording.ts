// The core words its refusals for the command line ("… needs the terminal reference: --card-ref R").
// At the till there are no flags: known refusals are said in the screen's own terms here, and a
// flag left in anything else is dropped, so the clerk never reads an option they cannot type.

export interface ScreenWords {
  text: string;
  hint?: string;
}

interface Rewording {
  /** The core's error code, and its message (or hint) as the core words it. */
  code: string;
  message?: RegExp;
  hint?: RegExp;
  say(message: string, hint: string | undefined, match: RegExpExecArray | null): ScreenWords;
}

const REWORDINGS: Rewording[] = [
  {
    code: 'invalid_input',
    message: /^a card payment needs the terminal reference: --card-ref R$/,
    say: () => ({ text: "a card payment needs the terminal reference: type it in Card ref (it is on the card terminal's slip)" }),
  },
  {
    code: 'invalid_input',
    message: /^--tendered is for cash payments$/,
    say: () => ({ text: 'an amount tendered is for cash payments only' }),
  },
  {
    code: 'invalid_input',
    message: /^say which tier: --tier (.*)$/,
    say: (_m, _h, match) => ({ text: `say which tier: ${match?.[1].split('|').join(', ')}`, hint: 'choose it in the cart' }),
  },
  {
    code: 'seat_unavailable',
    hint: /--best/,
    say: (message) => ({ text: message, hint: 'choose other seats, or press b for the best N together' }),
  },
  {
    code: 'no_adjacent_seats',
    hint: /--seats/,
    say: (message) => ({ text: message, hint: 'ask for fewer seats together (b), or pick seats one by one with space' }),
  },
  {
    code: 'invalid_input',
    message: /^order (\S+) has no email address$/,
    say: (message) => ({ text: `${message}: none was given at payment`, hint: 'print the tickets (p) or save the PDF (s) instead' }),
  },
  {
    code: 'invalid_input',
    message: /^the print command needs a printer: /,
    say: (message) => ({ text: message, hint: "open boxoffice ui with BOXOFFICE_PRINTER set to the printer's name" }),
  },
  {
    code: 'not_found',
    hint: /^set one: boxoffice event price /,
    say: (message) => ({ text: message, hint: 'a manager sets it with boxoffice event price' }),
  },
];

const FLAG = /(^|[\s(])--[a-z][a-z-]*/;

/**
 * The words the screen shows for a core refusal: a known one in the screen's terms; any other with
 * a trailing ": --flag ARG" cut off, other flags named without their dashes, and a hint that only
 * explains a flag left out.
 */
export function screenWords(code: string | undefined, message: string, hint?: string): ScreenWords {
  for (const r of REWORDINGS) {
    if (r.code !== code) continue;
    const match = r.message ? r.message.exec(message) : null;
    if (r.message && !match) continue;
    if (r.hint && !(hint && r.hint.test(hint))) continue;
    return r.say(message, hint, match);
  }
  const text = message
    .replace(/:\s*--[a-z][a-z-]*(?:\s+[A-Z][\w=,|.]*)?$/, '')
    .replace(/(^|[\s(])--([a-z][a-z-]*)/g, '$1$2');
  return { text, hint: hint && FLAG.test(hint) ? undefined : hint };
}
