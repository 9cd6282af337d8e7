// A command's session over a core fixture, for the run functions' in-process tests: what withCore
// hands a command, without opening the database again or reading a config file.
import type { CoreContext } from '../../src/core/context.js';
import type { CoreSession } from '../../src/cli/runtime/context.js';
import type { ConfigFile, SettingKey } from '../../src/cli/runtime/settings.js';
import type { CoreFixture } from './core.js';

export function sessionOf(
  core: CoreFixture,
  options: { json?: boolean; settings?: Partial<Record<SettingKey, string>>; ctx?: CoreContext; config?: ConfigFile } = {},
): CoreSession {
  return {
    ctx: options.ctx ?? core.ctx,
    handle: core.handle,
    global: { json: options.json },
    config: options.config ?? { settings: {}, sessions: {} },
    setting: (key) => options.settings?.[key],
  };
}
