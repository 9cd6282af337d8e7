// useDoor on fake services: the gate question, scans checked in one after another at the gate,
// refusals as verdicts, counts read again after each scan and on a timer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxofficeError } from '../../../src/core/errors.js';
import type { Admission } from '../../../src/core/tickets/checkin.js';
import type { Services } from '../../../src/ui/services.js';
import { useDoor } from '../../../src/ui/hooks/use-door.js';
import { KEY, tick } from '../helpers.js';
import { EVENT, fakeServices, renderHook, until, unmountAll } from './harness.js';

const CODE = '0123456789ABCDEFGHJKMNPQRS';

function admitted(code: string, gate: string | undefined): Admission {
  return { verdict: 'admitted', code, event: { id: EVENT.id, name: EVENT.name }, order: 'ABC', tier: 'Adult', section: 'Stalls', seat: 'A-1', gate: gate ?? null, scannedAt: '2030-01-01T19:00:00Z' };
}

function doorServices(extra: Partial<Services> = {}) {
  let total = 0;
  return fakeServices({
    admissions: async () => ({ total, gates: total ? [{ gate: 'North', admitted: total }] : [] }),
    checkIn: async (code, _event, gate) => {
      total++;
      return admitted(code, gate);
    },
    ...extra,
  });
}

function doorHarness(services: Services, gate: string | null, refreshMs = 5000) {
  const onBack = vi.fn();
  const app = renderHook(() => useDoor({ services, event: EVENT, gate, onBack, refreshMs }));
  return Object.assign(app, { onBack });
}

let app: ReturnType<typeof doorHarness> | undefined;
afterEach(unmountAll);

describe('useDoor', () => {
  it('asks for the gate first; esc there goes back, a name and enter start scanning at it', async () => {
    const services = doorServices();
    app = doorHarness(services, null);
    expect(app.result.current.state.gateDraft).toBe('1');
    await app.press(KEY.escape);
    expect(app.onBack).toHaveBeenCalledTimes(1);
    await app.type('North');
    await app.press(KEY.enter);
    expect(app.result.current.state).toMatchObject({ gate: 'North', gateDraft: null });
    await app.type(CODE);
    await app.press(KEY.enter);
    await until(() => app!.result.current.state.verdict !== null);
    expect(services.calls).toContain(`checkIn ["${CODE}",7,"North"]`);
    expect(app.result.current.state.verdict?.kind).toBe('admitted');
    expect(app.result.current.state.input).toBe('');
    await until(() => app!.result.current.counts?.total === 1);
  });

  it('a ticket scanned at the gate question is checked in at the suggested gate, not taken for a gate name', async () => {
    const services = doorServices();
    app = doorHarness(services, null);
    app.stdin.write(`${CODE}\r`);
    await until(() => app!.result.current.state.verdict !== null);
    expect(services.calls.filter((c) => c.startsWith('checkIn'))).toEqual([`checkIn ["${CODE}",7,"1"]`]);
    expect(app.result.current.state.gate).toBe('1');
  });

  it('a burst of scans is checked in the order it came, each once, one after another', async () => {
    let running = 0;
    let most = 0;
    const services = doorServices({
      checkIn: async (code, _event, gate) => {
        running++;
        most = Math.max(most, running);
        // The first is the slowest: without the queue a later one would overtake it.
        await tick(code === 'AAAA' ? 40 : 5);
        running--;
        return admitted(code, gate);
      },
    });
    app = doorHarness(services, 'North');
    const codes = ['AAAA', 'BBBB', 'CCCC'];
    app.stdin.write(codes.map((c) => `${c}\r`).join(''));
    await until(() => app!.result.current.state.session.admitted === 3);
    expect(services.calls.filter((c) => c.startsWith('checkIn'))).toEqual(codes.map((c) => `checkIn ["${c}",7,"North"]`));
    expect(most).toBe(1);
    expect(app.result.current.state.verdict?.code).toBe('CCCC');
    await app.press(KEY.enter);
    expect(services.calls.filter((c) => c.startsWith('checkIn'))).toHaveLength(3);
  });

  it('a refusal is a verdict and counts as refused; ctrl+g asks for the gate again; esc leaves', async () => {
    const services = doorServices({ checkIn: async () => Promise.reject(new BoxofficeError('not_found', 'no ticket XYZ')) });
    app = doorHarness(services, 'North');
    await app.type('XYZ');
    await app.press(KEY.enter);
    await until(() => app!.result.current.state.session.refused === 1);
    expect(app.result.current.state.verdict?.kind).not.toBe('admitted');
    await app.press(KEY.ctrl('g'));
    expect(app.result.current.state.gateDraft).not.toBeNull();
    await app.press(KEY.escape);
    expect(app.result.current.state.gateDraft).toBeNull();
    expect(app.onBack).not.toHaveBeenCalled();
    await app.press(KEY.escape);
    expect(app.onBack).toHaveBeenCalledTimes(1);
  });

  it('reads the counts at once and then on its timer; a failed read is a notice', async () => {
    let fail = false;
    const services = doorServices({
      admissions: async () => {
        if (fail) throw new BoxofficeError('database_busy', 'database is locked');
        return { total: 0, gates: [] };
      },
    });
    app = doorHarness(services, 'North', 20);
    await until(() => app!.result.current.counts !== null);
    await until(() => services.calls.filter((c) => c.startsWith('admissions')).length >= 3);
    fail = true;
    await until(() => app!.result.current.notice !== null);
    expect(app.result.current.notice).toMatchObject({ kind: 'error', text: 'database is locked' });
  });
});
