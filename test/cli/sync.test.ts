// `boxoffice sync …` run in-process: each subcommand's run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runSyncExport, runSyncStatus } from '../../src/cli/cmd/sync/sync.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('sync', () => {
  it('exports the feed to a file for a consumer, and shows its status', async () => {
    const file = path.join(f.dir, 'feed.jsonl');
    const io = bufferIO();
    await runSyncExport(io, sessionOf(f.core, { json: true }), { consumer: 'crm', to: file });
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(0);
    const status = bufferIO();
    await runSyncStatus(status, sessionOf(f.core, { json: true }), { consumer: 'crm' });
    expect(status.out()).toContain('crm');
    await expect(runSyncStatus(bufferIO(), sessionOf(f.core), { consumer: 'erp' })).rejects.toMatchObject({ reason: 'sync_consumer_unknown' });
    await expect(runSyncExport(bufferIO(), sessionOf(f.core), { consumer: 'crm', since: '0', to: file })).rejects.toMatchObject({ reason: 'sync_consumer_and_since' });
  });
});
