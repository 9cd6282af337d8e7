import { createInterface } from 'node:readline/promises';
import { invalid } from '../core/errors.js';
import type { IO } from './io.js';

/**
 * Asks before a destructive action. `--yes` skips the question; without a terminal there is no
 * one to ask, so the command refuses (exit 2) rather than act unconfirmed or hang.
 */
export async function confirm(io: IO, question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!io.canPrompt) throw invalid(`${question.replace(/\?$/, '')}: add --yes to confirm (no terminal to ask on)`);
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
