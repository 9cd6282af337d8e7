// `boxoffice report …` and `sync …` run in-process: their run functions with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runReportCashup, runReportSales, runReportZreports } from '../../src/cli/cmd/report/report.js';
import { runSyncExport, runSyncStatus } from '../../src/cli/cmd/sync/sync.js';
import { peopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

let f: Awaited<ReturnType<typeof peopleFixture>>;
beforeAll(async () => {
  f = await peopleFixture();
});
afterAll(() => f.close());

describe('report', () => {
  it('reports sales, refusing a day it cannot read as the flag', async () => {
    const io = bufferIO();
    await runReportSales(io, sessionOf(f.core, { json: true }), {});
    expect(io.out()).toContain('Gala');
    await expect(runReportSales(bufferIO(), sessionOf(f.core), { from: 'March' })).rejects.toMatchObject({ reason: 'value_invalid', facts: { field: 'from' } });
  });

  it('counts, closes and lists the cash-up', async () => {
    await expect(runReportCashup(bufferIO(), sessionOf(f.core), { close: true })).rejects.toMatchObject({ reason: 'drawer_not_counted' });
    await expect(runReportCashup(bufferIO(), sessionOf(f.core), { counted: 'lots' })).rejects.toMatchObject({ reason: 'value_invalid', facts: { field: 'counted' } });
    const io = bufferIO();
    await runReportCashup(io, sessionOf(f.core, { json: true }), { counted: '50.00', close: true });
    expect(io.out()).toContain('"number":1');
    const z = bufferIO();
    await runReportZreports(z, sessionOf(f.core, { json: true }), { verify: true });
    expect(JSON.parse(z.out())).toMatchObject({ ok: true, reports: 1 });
    await expect(runReportZreports(bufferIO(), sessionOf(f.core), { number: '9' })).rejects.toMatchObject({ reason: 'zreport_unknown' });
  });
});

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
