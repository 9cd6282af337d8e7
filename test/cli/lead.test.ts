// `boxoffice lead …` run in-process: each subcommand's run function with a buffered IO.
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runLeadAdd, runLeadList } from '../../src/cli/cmd/lead/lead.js';
import { runReportLeads } from '../../src/cli/cmd/report/report.js';
import { usePeopleFixture } from './people.fixture.js';
import { sessionOf } from '../helpers/session.js';

const f = usePeopleFixture();

describe('lead', () => {
  it('adds a lead and lists the leads', async () => {
    const io = bufferIO();
    await runLeadAdd(io, sessionOf(f.core, { json: true }), 'ana@example.com', { name: 'Ana', source: 'web', consent: true });
    expect(JSON.parse(io.out())).toMatchObject({ email: 'ana@example.com' });
    const list = bufferIO();
    await runLeadList(list, sessionOf(f.core, { json: true }));
    expect(
      JSON.parse(list.out())
        .map((l: { email: string }) => l.email)
        .sort(),
    ).toEqual(['ana@example.com', 'lee@example.com']);
  });

  it('reports leads per source', async () => {
    const io = bufferIO();
    await runReportLeads(io, sessionOf(f.core, { json: true }), {});
    expect(io.out()).toContain('flyer');
  });
});
