// `boxoffice import` run in-process: its run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runImport } from '../../src/cli/cmd/import/import.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('import', () => {
  it('checks a file in a dry run, then imports it', async () => {
    const file = path.join(f.dir, 'leads.csv');
    fs.writeFileSync(file, 'email,name,source\nzoe@example.com,Zoe,fair\n');
    const dry = bufferIO();
    await runImport(dry, sessionOf(f.core), 'leads', file, { dryRun: true });
    expect(dry.err()).toContain(`Dry run of ${file} (1 rows, leads): 1 to create, 0 to update, 0 unchanged. Nothing was written.`);
    const io = bufferIO();
    await runImport(io, sessionOf(f.core), 'leads', file, {});
    expect(io.err()).toContain(`Imported ${file} (leads): 1 created, 0 updated, 0 unchanged.`);
  });

  it('refuses a venue for anything but a seat map, as the flag', async () => {
    await expect(runImport(bufferIO(), sessionOf(f.core), 'leads', path.join(f.dir, 'leads.csv'), { venue: '1' })).rejects.toMatchObject({ reason: 'import_venue_not_seatmap' });
  });
});
