// `boxoffice export` run in-process: its run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runExport } from '../../src/cli/cmd/export/export.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('export', () => {
  it('writes customers to a file, refusing an event for them', async () => {
    const file = path.join(f.dir, 'customers.csv');
    const io = bufferIO();
    await runExport(io, sessionOf(f.core), 'customers', { output: file });
    expect(io.err()).toBe(`Wrote 1 row of customers to ${file}\n`);
    expect(fs.readFileSync(file, 'utf8')).toContain('kim@example.com');
    await expect(runExport(bufferIO(), sessionOf(f.core), 'customers', { output: path.join(f.dir, 'c2.csv'), event: 'Gala' })).rejects.toMatchObject({ reason: 'export_customers_per_event' });
    await expect(runExport(bufferIO(), sessionOf(f.core), 'customers', { output: file })).rejects.toMatchObject({ code: 'already_exists', reason: 'output_exists' });
  });
});
