// Settings: flags win over environment variables, which win over the user config file.
// The file is written through `conf` (atomic writes, mode 0600) but read here with a plain
// JSON.parse: importing conf costs ~180 ms, too much for every command's start-up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BoxofficeError, invalid } from '../../core/errors.js';
import { defaultDatabasePath } from './paths.js';
import { displayTarget } from '../../app/database.js';

interface SettingSpec {
  env: string;
  describe: string;
  /** Shown masked by `config list`/`get`. */
  secret?: boolean;
  kind?: 'text' | 'minutes' | 'count' | 'lang';
}

export const SETTINGS = {
  db: { env: 'BOXOFFICE_DB', describe: 'the database: a SQLite file, or a postgres:// URL' },
  'smtp.url': { env: 'BOXOFFICE_SMTP_URL', describe: 'SMTP server: smtp://user:pass@host:port or smtps://…', secret: true },
  'smtp.from': { env: 'BOXOFFICE_SMTP_FROM', describe: 'the From: address of ticket emails' },
  lang: { env: 'BOXOFFICE_LANG', describe: 'language of emails and tickets (en, pt)', kind: 'lang' },
  holdMinutes: { env: 'BOXOFFICE_HOLD_MINUTES', describe: 'how long a hold lasts, in minutes (default 15)', kind: 'minutes' },
  orderLimit: { env: 'BOXOFFICE_ORDER_LIMIT', describe: 'per-order ticket limit for new events (default 10)', kind: 'count' },
  printCommand: { env: 'BOXOFFICE_PRINT_COMMAND', describe: 'command that prints a PDF; {printer} and {file} are filled in (default: lp -d {printer} {file})' },
} satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** A login session kept in the config file: the token is checked against the database on every use. */
export interface StoredSession {
  token: string;
  operator: string;
  expiresAt: string;
  /** The database file (or URL) it was made on, to show and to forget it when that file is gone. */
  file?: string;
}

export interface ConfigFile {
  settings: Partial<Record<SettingKey, string>>;
  /** Login sessions, one per database, keyed by the database's URN (see core/staff/sessions.ts). */
  sessions: Record<string, StoredSession>;
}

function configDir(env: NodeJS.ProcessEnv): string {
  if (env.BOXOFFICE_CONFIG_DIR) return env.BOXOFFICE_CONFIG_DIR;
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home(env), 'AppData', 'Roaming'), 'boxoffice');
  if (process.platform === 'darwin') return path.join(home(env), 'Library', 'Preferences', 'boxoffice');
  return path.join(env.XDG_CONFIG_HOME || path.join(home(env), '.config'), 'boxoffice');
}

export function configPath(env: NodeJS.ProcessEnv): string {
  return path.join(configDir(env), 'config.json');
}

export function readConfig(env: NodeJS.ProcessEnv): ConfigFile {
  const file = configPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { settings: {}, sessions: {} };
  }
  try {
    const raw = JSON.parse(text) as Partial<ConfigFile>;
    // A session saved before logins were kept per database (`session`) is not used: nobody
    // knows which database it belongs to. It is dropped at the next login or logout.
    return { settings: raw.settings ?? {}, sessions: raw.sessions ?? {} };
  } catch {
    throw new BoxofficeError('invalid_input', `the config file ${file} is not valid JSON`, 'fix it, or delete it to start afresh');
  }
}

/** Changes the config file through conf (atomic write, private mode). */
export async function updateConfig(env: NodeJS.ProcessEnv, change: (config: ConfigFile) => void): Promise<void> {
  const { default: Conf } = await import('conf');
  const store = new Conf<ConfigFile>({
    cwd: configDir(env),
    configName: 'config',
    projectName: 'boxoffice',
    projectSuffix: '',
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
    clearInvalidConfig: false,
  });
  const config: ConfigFile = { settings: { ...(store.get('settings') ?? {}) }, sessions: { ...(store.get('sessions') ?? {}) } };
  change(config);
  store.set('settings', config.settings);
  store.set('sessions', config.sessions);
  (store as unknown as { delete(key: string): void }).delete('session');
}

export function parseSettingKey(key: string): SettingKey {
  if (!(SETTING_KEYS as string[]).includes(key)) throw invalid(`unknown setting ${JSON.stringify(key)}`, `settings: ${SETTING_KEYS.join(', ')}`);
  return key as SettingKey;
}

/** Checks a value before it is stored, so a bad setting fails at `config set`, not at 7:55 pm. */
export function validateSetting(key: SettingKey, value: string): string {
  const spec: SettingSpec = SETTINGS[key];
  if (spec.kind === 'minutes' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1440)) throw invalid(`${key} must be minutes from 1 to 1440`);
  if (spec.kind === 'count' && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000)) throw invalid(`${key} must be a whole number from 1 to 1000`);
  if (spec.kind === 'lang' && !['en', 'pt'].includes(value)) throw invalid(`${key} must be en or pt`);
  if (key === 'smtp.url') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid('smtp.url must be a URL such as smtp://user:pass@127.0.0.1:2525');
    }
    if (!['smtp:', 'smtps:'].includes(url.protocol)) throw invalid('smtp.url must start with smtp:// or smtps://');
  }
  return value;
}

export interface ResolvedSetting {
  key: SettingKey;
  value: string | undefined;
  source: 'flag' | 'env' | 'config' | 'default';
}

/** A setting's value and where it came from: flag, then environment, then the config file. */
export function resolveSetting(key: SettingKey, env: NodeJS.ProcessEnv, config: ConfigFile, flag?: string): ResolvedSetting {
  if (flag !== undefined) return { key, value: flag, source: 'flag' };
  const fromEnv = env[SETTINGS[key].env];
  if (fromEnv !== undefined && fromEnv !== '') return { key, value: fromEnv, source: 'env' };
  const fromFile = config.settings[key];
  if (fromFile !== undefined) return { key, value: fromFile, source: 'config' };
  return { key, value: undefined, source: 'default' };
}

/** What a setting means when nothing sets it, for `config list` and `config get` to show. */
export function defaultSetting(key: SettingKey, env: NodeJS.ProcessEnv): string | undefined {
  switch (key) {
    case 'db':
      return defaultDatabasePath(env);
    case 'lang':
      return 'en';
    case 'holdMinutes':
      return '15';
    case 'orderLimit':
      return '10';
    case 'printCommand':
      return 'lp -d {printer} {file}';
    default:
      return undefined;
  }
}

/** A value fit to show: secrets keep their shape but lose the password. */
export function displaySetting(key: SettingKey, value: string | undefined): string | undefined {
  // A file path as it is; a postgres:// URL without its password (SPEC "Storage").
  if (key === 'db' && value !== undefined) return displayTarget(value);
  if (value === undefined || !(SETTINGS[key] as SettingSpec).secret) return value;
  try {
    const url = new URL(value);
    if (url.password) url.password = '****';
    return url.toString();
  } catch {
    return '****';
  }
}

/** The home directory, from the environment first so a test or a service can point it elsewhere. */
function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}
