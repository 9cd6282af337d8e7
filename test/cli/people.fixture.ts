// A database with a sale to a customer (kim@example.com) and a lead, for the run functions of the
// groups that read people: customer, lead, log, mail, export, report, sync.
import fs from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { inProcess } from '../helpers/in-process.js';
import { tempDir } from '../helpers/cli.js';

export interface PeopleFixture {
  core: CoreFixture;
  dir: string;
  /** The code of kim's order. */
  order: string;
  close(): Promise<void>;
}

/** The fixture of a test file: made before its tests run, closed after them. */
export function usePeopleFixture(): PeopleFixture {
  const f = {} as PeopleFixture;
  beforeAll(async () => {
    Object.assign(f, await peopleFixture());
  });
  afterAll(() => f.close());
  return f;
}

async function peopleFixture(): Promise<PeopleFixture> {
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
