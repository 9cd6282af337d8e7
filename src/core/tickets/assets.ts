// Where the ticket and email templates live (templates/ at the project root, beside src/ and
// dist/), and which language they are read in.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalid } from '../errors.js';

// This file sits at src/core/tickets/ (or dist/core/tickets/ once built): three levels down.
const ROOT_TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

export function templatePath(...parts: string[]): string {
  return path.join(ROOT_TEMPLATES, ...parts);
}

const DEFAULT_LANGUAGE = 'en';

/** The languages the email templates exist in (a folder per language under templates/email). */
function availableLanguages(): string[] {
  try {
    return fs
      .readdirSync(templatePath('email'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [DEFAULT_LANGUAGE];
  }
}

/**
 * The language to write in: `--lang` if given (it must exist), else BOXOFFICE_LANG if it names
 * one we have (`pt`, `pt_PT.UTF-8`, `pt-BR` all mean pt), else English.
 */
export function resolveLanguage(option: string | undefined, env: NodeJS.ProcessEnv = {}): string {
  const have = availableLanguages();
  if (option !== undefined) {
    const lang = option.trim().toLowerCase();
    if (!have.includes(lang)) throw invalid(`no templates in language ${JSON.stringify(option)}`, `use one of: ${have.join(', ')}`);
    return lang;
  }
  const fromEnv = env.BOXOFFICE_LANG?.trim().toLowerCase().slice(0, 2);
  if (fromEnv && have.includes(fromEnv)) return fromEnv;
  return DEFAULT_LANGUAGE;
}

export interface TicketLabels {
  locale: string;
  section: string;
  row: string;
  seat: string;
  generalAdmission: string;
  tier: string;
  price: string;
  order: string;
  holder: string;
  code: string;
  scan: string;
}

let labelsCache: Record<string, TicketLabels> | undefined;

/** The words printed on a ticket, in `lang` (English where a language has no ticket labels). */
export function ticketLabels(lang: string): TicketLabels {
  labelsCache ??= JSON.parse(fs.readFileSync(templatePath('tickets', 'labels.json'), 'utf8')) as Record<string, TicketLabels>;
  return labelsCache[lang] ?? labelsCache[DEFAULT_LANGUAGE];
}

export const FONT_REGULAR = () => templatePath('fonts', 'DejaVuSans.ttf');
export const FONT_BOLD = () => templatePath('fonts', 'DejaVuSans-Bold.ttf');
