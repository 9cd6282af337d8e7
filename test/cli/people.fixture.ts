// A database with a sale to a customer (kim@example.com) and a lead, for the run functions of the
// groups that read people: customer, lead, log, mail, export, report, sync.
import fs from 'node:fs';
import { expect } from 'vitest';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { inProcess } from '../helpers/in-process.js';
import { tempDir } from '../helpers/cli.js';

export async function peopleFixture(): Promise<{ core: CoreFixture; dir: string; order: string; close(): Promise<void> }> {
  const core = await openCore();
  await seedGala(core.ctx);
  const dir = tempDir('boxoffice-people-');
  const cli = inProcess({ BOXOFFICE_DB: core.target, BOXOFFICE_CONFIG_DIR: dir });
  const sale = await cli(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--email', 'kim@example.com', '--name', 'Kim', '--json']);
  expect(sale.code).toBe(0);
  expect((await cli(['lead', 'add', 'lee@example.com', '--name', 'Lee', '--source', 'flyer'])).code).toBe(0);
  return {
    core,
    dir,
    order: sale.json.code as string,
    close: async () => {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
