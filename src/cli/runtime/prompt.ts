// Prompts, only where someone can answer: stdin and stdout must both be terminals. Scripts never
// meet a prompt; they get a usage error naming the flag or variable to use instead.
import { invalid } from '../../core/errors.js';
import { printable } from '../../core/text.js';
import type { IO } from './io.js';

function context(io: IO) {
  return { input: io.stdin, output: io.stderr };
}

export async function askConfirm(io: IO, question: string, fallbackHint: string, byDefault = false): Promise<boolean> {
  if (!io.canPrompt) throw invalid(`${question.replace(/[?.]\s*$/, '')}: ${fallbackHint} (no terminal to ask on)`);
  const { confirm } = await import('@inquirer/prompts');
  // The question may quote a stored name: shown escaped, as every message is.
  return confirm({ message: printable(question, { oneLine: true }), default: byDefault }, context(io));
}

export async function askText(io: IO, message: string, fallbackHint: string, validate?: (v: string) => true | string, defaultValue?: string): Promise<string> {
  if (!io.canPrompt) throw invalid(`missing ${message.toLowerCase()}: ${fallbackHint}`);
  const { input } = await import('@inquirer/prompts');
  return input({ message: printable(message, { oneLine: true }), validate, default: defaultValue }, context(io));
}

export async function askSecret(io: IO, message: string, fallbackHint: string): Promise<string> {
  if (!io.canPrompt) throw invalid(`missing ${message.toLowerCase()}: ${fallbackHint}`);
  const { password } = await import('@inquirer/prompts');
  return password({ message, mask: '•' }, context(io));
}

/** Asks before a destructive action; `--yes` skips the question, and without a terminal it must be given. */
export async function confirmDestructive(io: IO, question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  return askConfirm(io, question, 'add --yes to confirm');
}
