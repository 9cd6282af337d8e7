// A command's session over a core fixture, for the run functions' in-process tests: what withCore
// hands a command, without opening the database again or reading a config file.
import type { CoreContext } from '../../src/core/context.js';
import type { CoreSession } from '../../src/cli/runtime/context.js';
import type { ConfigFile, SettingKey } from '../../src/cli/runtime/settings.js';
import { afterEach, beforeEach } from 'vitest';
import { BoxofficeError } from '../../src/core/errors.js';
import { openCore, seedGala, type CoreFixture } from './core.js';

export function sessionOf(core: CoreFixture, options: { json?: boolean; settings?: Partial<Record<SettingKey, string>>; ctx?: CoreContext; config?: ConfigFile } = {}): CoreSession {
  return {
    ctx: options.ctx ?? core.ctx,
    handle: core.handle,
    global: { json: options.json },
    config: options.config ?? { settings: {}, sessions: {} },
    setting: (key) => options.settings?.[key],
  };
}

/** A fresh core with the Gala event (seedGala) for each test of the file. */
export function galaEachTest(): { core: CoreFixture; event: string } {
  const fx = {} as { core: CoreFixture; event: string };
  beforeEach(async () => {
    fx.core = await openCore();
    fx.event = (await seedGala(fx.core.ctx)).eventId;
  });
  afterEach(async () => fx.core.close());
  return fx;
}

/** The domain refusal `p` ends in; fails when it succeeds or fails otherwise. */
export async function refusal(p: Promise<unknown>): Promise<BoxofficeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BoxofficeError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
