import type { Command } from 'commander';
import type { CommandDeps, GlobalOptions } from '../../runtime/context.js';
import { globalOptions } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { oneLine, printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import {
  SETTINGS,
  SETTING_KEYS,
  type SettingKey,
  defaultSetting,
  configPath,
  displaySetting,
  parseSettingKey,
  readConfig,
  resolveSetting,
  updateConfig,
  validateSetting,
} from '../../runtime/settings.js';

/** The one setting a global flag also sets (--db), as every command resolves it: the flag wins. */
const flagFor = (key: SettingKey, global: GlobalOptions): string | undefined => (key === 'db' ? global.db : undefined);

export function runConfigList(io: IO, global: GlobalOptions) {
  const file = readConfig(io.env);
  const rows = SETTING_KEYS.map((key) => {
    const r = resolveSetting(key, io.env, file, flagFor(key, global));
    return { key, value: displaySetting(key, r.value ?? defaultSetting(key, io.env)) ?? null, source: r.source, env: SETTINGS[key].env };
  });
  if (global.json) return printJson(io, rows);
  printTable(io, rows, [
    { header: 'key', value: (r) => r.key },
    { header: 'value', value: (r) => r.value ?? '' },
    { header: 'source', value: (r) => r.source },
    { header: 'env', value: (r) => r.env },
  ]);
}

export function runConfigGet(io: IO, global: GlobalOptions, keyText: string) {
  const key = parseSettingKey(keyText);
  const r = resolveSetting(key, io.env, readConfig(io.env), flagFor(key, global));
  const value = displaySetting(key, r.value ?? defaultSetting(key, io.env));
  if (global.json) return printJson(io, { key, value: value ?? null, source: r.source });
  if (value !== undefined) io.stdout.write(`${oneLine(value)}\n`);
  else say(io, `${key} is not set`);
}

export async function runConfigSet(io: IO, global: GlobalOptions, keyText: string, value: string) {
  const key = parseSettingKey(keyText);
  validateSetting(key, value);
  await updateConfig(io.env, (c) => {
    c.settings[key] = value;
  });
  if (global.json) return printJson(io, { key, value: displaySetting(key, value) });
  say(io, `Set ${key}${io.env[SETTINGS[key].env] ? ` (note: ${SETTINGS[key].env} is set and wins over it)` : ''}`);
}

export async function runConfigUnset(io: IO, global: GlobalOptions, keyText: string) {
  const key = parseSettingKey(keyText);
  await updateConfig(io.env, (c) => {
    delete c.settings[key];
  });
  if (global.json) return printJson(io, { key, value: null });
  say(io, `Unset ${key}`);
}

export function runConfigPath(io: IO, global: GlobalOptions) {
  if (global.json) return printJson(io, { path: configPath(io.env) });
  io.stdout.write(`${configPath(io.env)}\n`);
}

export function registerConfig(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const config = program
    .command('config')
    .description('settings kept in your user config file; environment variables (BOXOFFICE_*) and flags win over them')
    .addHelpText('after', examples('boxoffice config set smtp.url smtp://user:pass@127.0.0.1:2525', 'boxoffice config list', 'boxoffice config path'))
    .addHelpText('after', `\nSettings:\n${SETTING_KEYS.map((k) => `  ${k.padEnd(13)} ${SETTINGS[k].env.padEnd(24)} ${SETTINGS[k].describe}`).join('\n')}\n`);

  config
    .command('list')
    .description('every setting, its value and where it comes from (secrets masked)')
    .addHelpText('after', examples('boxoffice config list', 'boxoffice config list --json'))
    .action((_opts: unknown, cmd: Command) => runConfigList(io, globalOptions(cmd)));

  config
    .command('get <key>')
    .description("one setting's value (secrets masked)")
    .addHelpText('after', examples('boxoffice config get db', 'boxoffice config get smtp.url'))
    .action((keyText: string, _opts: unknown, cmd: Command) => runConfigGet(io, globalOptions(cmd), keyText));

  config
    .command('set <key> <value>')
    .description('store a setting in your user config file (mode 0600)')
    .addHelpText('after', examples('boxoffice config set db ~/boxoffice/venue.db', 'boxoffice config set smtp.url smtps://tickets:secret@mail.example.com:465', 'boxoffice config set holdMinutes 20'))
    .action(async (keyText: string, value: string, _opts: unknown, cmd: Command) => runConfigSet(io, globalOptions(cmd), keyText, value));

  config
    .command('unset <key>')
    .description('remove a setting from your user config file')
    .addHelpText('after', examples('boxoffice config unset smtp.url'))
    .action(async (keyText: string, _opts: unknown, cmd: Command) => runConfigUnset(io, globalOptions(cmd), keyText));

  config
    .command('path')
    .description('where the config file lives')
    .addHelpText('after', examples('boxoffice config path'))
    .action((_opts: unknown, cmd: Command) => runConfigPath(io, globalOptions(cmd)));
}
