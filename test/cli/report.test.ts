// `boxoffice report …` run in-process: each subcommand's run function with a buffered IO.
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runReportCashup, runReportSales, runReportZreports } from '../../src/cli/cmd/report/report.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

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
