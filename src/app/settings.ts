// The delivery settings both fronts read the same way: what a front resolves (a flag, the
// environment, the config file) comes in as one lookup, so the rules below are written once.
import { resolveLanguage } from '../core/tickets/assets.js';
import { printSettings, type PrintSettings } from '../core/tickets/print.js';
import { smtpSettings, type SmtpSettings } from '../core/mail/settings.js';

/** The keys delivery reads; a front answers each from its own sources (env over config file). */
export type DeliverySettingKey = 'smtp.url' | 'smtp.from' | 'printCommand' | 'lang';

export interface DeliverySettings {
  setting(key: DeliverySettingKey): string | undefined;
}

/** SMTP settings: BOXOFFICE_SMTP_URL / BOXOFFICE_SMTP_FROM, else the config file's smtp.url / smtp.from. */
export function mailSettingsOf(settings: DeliverySettings): SmtpSettings | null {
  return smtpSettings({ BOXOFFICE_SMTP_URL: settings.setting('smtp.url'), BOXOFFICE_SMTP_FROM: settings.setting('smtp.from') });
}

/** The print command: BOXOFFICE_PRINT_COMMAND, else the config file's printCommand, else lp. */
export function printSettingsOf(settings: DeliverySettings, env: NodeJS.ProcessEnv): PrintSettings {
  return printSettings({ BOXOFFICE_PRINT_COMMAND: settings.setting('printCommand'), BOXOFFICE_PRINTER: env.BOXOFFICE_PRINTER });
}

/** The language: the one asked for, else BOXOFFICE_LANG, else the config file's lang, else English. */
export function languageOf(settings: DeliverySettings, asked: string | undefined): string {
  return resolveLanguage(asked, { BOXOFFICE_LANG: settings.setting('lang') });
}
