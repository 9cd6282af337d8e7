// Printing hands a finished PDF to the system's print command. Which command is one small lookup
// (env BOXOFFICE_PRINT_COMMAND for now; wire it to `config get` later); the command runs without
// a shell, so a file or printer name is never read as shell syntax.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normaliseOrderCode } from '../codes.js';
import type { CoreContext } from '../context.js';
import { BoxofficeError, invalid } from '../errors.js';
import { writeOrderPdf, type PdfRequest, type PdfResult } from './documents.js';

/** The default: CUPS/System V `lp`, with `-d PRINTER` only when a printer is named. */
const DEFAULT_PRINT_COMMAND = 'lp -d {printer} {file}';

export interface PrintSettings {
  /** A command line with `{file}` and optionally `{printer}` placeholders. */
  command: string;
  /** The printer when none is named on the command line (BOXOFFICE_PRINTER), else the system default. */
  printer?: string;
  /** True when the command is the built-in default. */
  isDefault: boolean;
}

/** The print settings: BOXOFFICE_PRINT_COMMAND and BOXOFFICE_PRINTER, or `lp`. */
export function printSettings(env: NodeJS.ProcessEnv): PrintSettings {
  const command = env.BOXOFFICE_PRINT_COMMAND?.trim();
  return { command: command || DEFAULT_PRINT_COMMAND, printer: env.BOXOFFICE_PRINTER?.trim() || undefined, isDefault: !command };
}

/** Splits a command line into words as a shell would for plain words, 'single' and "double" quotes and backslashes. */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw invalid(`the print command has an unclosed ${quote} quote: ${text}`);
  if (inWord) words.push(word);
  return words;
}

/**
 * The argv to run for `file` on `printer`. Without a printer the default command drops `-d
 * {printer}` (the system's default printer); a custom command that needs `{printer}` refuses.
 * A command without `{file}` gets the file as its last argument.
 */
export function printArgv(settings: PrintSettings, file: string, printer: string | undefined): string[] {
  let words = splitCommandLine(settings.command);
  if (words.length === 0) throw invalid('the print command is empty', 'set BOXOFFICE_PRINT_COMMAND, e.g. "lp -d {printer} {file}"');
  const chosen = printer?.trim() || settings.printer;
  if (!chosen && words.some((w) => w.includes('{printer}'))) {
    if (!settings.isDefault) throw invalid(`the print command needs a printer: ${settings.command}`, 'name a printer (or set BOXOFFICE_PRINTER)').because('no_printer', {});
    const at = words.indexOf('{printer}');
    words = words.filter((_, i) => i !== at && i !== at - 1);
  }
  if (!words.some((w) => w.includes('{file}'))) words.push('{file}');
  return words.map((w) => w.replaceAll('{printer}', chosen ?? '').replaceAll('{file}', file));
}

export interface PrintOutcome {
  command: string[];
  output: string;
}

/**
 * Runs the print command on `file`. A failure (command missing, non-zero exit, timeout) is a
 * `print_failed` error naming the command and its message, and keeping the PDF's path.
 */
async function printPdf(file: string, options: { printer?: string; settings: PrintSettings; timeoutMs?: number }): Promise<PrintOutcome> {
  const argv = printArgv(options.settings, file, options.printer);
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: options.timeoutMs ?? 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ command: argv, output: `${stdout}${stderr}`.trim() });
      const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
      const why =
        e.code === 'ENOENT'
          ? `${cmd} was not found`
          : e.killed
            ? `${cmd} did not finish in time`
            : `${cmd} failed${typeof e.code === 'number' ? ` (exit ${e.code})` : ''}: ${(stderr || stdout || e.message).trim().split('\n').slice(-3).join(' ')}`;
      reject(
        new BoxofficeError('print_failed', `printing failed: ${why}`, `the PDF is kept at ${file}; print it from there, or set BOXOFFICE_PRINT_COMMAND (default: ${DEFAULT_PRINT_COMMAND})`, {
          pdf: file,
          command: argv,
        }),
      );
    });
  });
}

/** Where a PDF for the printer is written when no file is asked for; kept there if printing fails. */
function spoolFile(orderCode: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  // A private folder per user: the PDF holds valid ticket codes.
  return path.join(os.tmpdir(), `boxoffice-print-${process.getuid?.() ?? 'user'}`, `tickets-${orderCode}-${stamp}-${process.pid}.pdf`);
}

/**
 * Makes the spool folder, or checks the one there: in a shared temp folder, a folder of that name
 * made by another user (or a link to one) would let them read or replace the tickets.
 */
function privateFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw invalid(`the print spool folder ${dir} is not a private folder of this user`, 'remove it, or keep the PDF with -o FILE');
  }
}

export interface PrintResult extends PdfResult {
  printer: string | null;
  command: string[];
  /** The PDF, when it was kept (asked for with a file). */
  kept: boolean;
}

/**
 * Prints an order's tickets: renders the PDF (to `file`, or a spool file removed after a
 * successful print) and hands it to the print command. If printing fails the PDF stays where
 * it is and the error says where.
 */
export async function printOrderTickets(ctx: CoreContext, input: { order: string; printer?: string; file?: string; settings: PrintSettings } & PdfRequest): Promise<PrintResult> {
  // Check the command before rendering: a custom command that needs a printer refuses at once.
  printArgv(input.settings, 'check.pdf', input.printer);
  const target = input.file ?? spoolFile(normaliseOrderCode(input.order), ctx.clock.now());
  if (!input.file) privateFolder(path.dirname(target));
  const pdf = await writeOrderPdf(ctx, input.order, target, { layout: input.layout, lang: input.lang, purpose: 'print', force: input.force });
  const outcome = await printPdf(pdf.file as string, { printer: input.printer, settings: input.settings });
  if (!input.file) fs.rmSync(pdf.file as string, { force: true });
  return { ...pdf, printer: input.printer?.trim() || input.settings.printer || null, command: outcome.command, kept: Boolean(input.file) };
}
