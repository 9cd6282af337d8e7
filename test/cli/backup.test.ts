// `boxoffice backup` run in-process: its run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runBackup } from '../../src/cli/cmd/backup/backup.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('backup', () => {
  it('copies a SQLite database (PostgreSQL is refused)', async () => {
    const file = path.join(f.dir, 'copy.db');
    const io = bufferIO();
    if (f.core.handle.dialect.name !== 'sqlite') {
      await expect(runBackup(io, sessionOf(f.core), file, {})).rejects.toMatchObject({ code: 'unsupported' });
      return;
    }
    await runBackup(io, sessionOf(f.core, { json: true }), file, {});
    expect(fs.existsSync(file)).toBe(true);
    expect(JSON.parse(io.out())).toMatchObject({ file });
  });
});
