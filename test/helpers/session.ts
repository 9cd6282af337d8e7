// A command's session over a core fixture, for run functions tested in process (no commander, no
// database opened by the command): what withCore hands a command, with no settings set.
import { afterEach, beforeEach } from 'vitest';
import type { CoreSession, GlobalOptions } from '../../src/cli/runtime/context.js';
import type { CoreContext } from '../../src/core/context.js';
import { BoxofficeError } from '../../src/core/errors.js';
import { openCore, seedGala, type CoreFixture } from './core.js';

export function sessionOf(core: CoreFixture, global: GlobalOptions = {}, ctx: CoreContext = core.ctx): CoreSession {
  return { ctx, handle: core.handle, global, config: { settings: {}, sessions: {} }, setting: () => undefined };
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
