// useEventPicker on fake services: the list read again on its timer, the filter, the cursor, and
// which mode Enter and ctrl+d open for whom; useLogin: fields, the core's answer, a wrong PIN.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxofficeError } from '../../../src/core/errors.js';
import type { Actor } from '../../../src/core/staff/permissions.js';
import type { EventSummary, Services } from '../../../src/ui/services.js';
import { useEventPicker } from '../../../src/ui/hooks/use-event-picker.js';
import { useLogin } from '../../../src/ui/hooks/use-login.js';
import { KEY } from '../helpers.js';
import { EVENT, fakeServices, renderHook, until, unmountAll } from './harness.js';

const EVENTS: EventSummary[] = [
  { ...EVENT, id: 1, name: 'Gala', venue: 'Hall' },
  { ...EVENT, id: 2, name: 'Matinee', venue: 'Studio' },
  { ...EVENT, id: 3, name: 'Late show', venue: 'Hall' },
];

function pickerHarness(services: Services, options: { logout?: boolean; refreshMs?: number } = {}) {
  const opened: [string, string][] = [];
  const onLogout = vi.fn();
  const app = renderHook(() =>
    useEventPicker({
      services,
      onOpen: (e, mode) => opened.push([e.name, mode]),
      onLogout: options.logout ? onLogout : undefined,
      notice: { kind: 'ok', text: 'Logged in' },
      refreshMs: options.refreshMs ?? 5000,
    }),
  );
  return Object.assign(app, { opened, onLogout });
}

afterEach(unmountAll);

describe('useEventPicker', () => {
  it('loads the events, filters by name or venue as typed, and opens the one under the cursor to sell', async () => {
    const a = pickerHarness(fakeServices({ listEvents: async () => EVENTS }));
    expect(a.result.current.events).toBeNull();
    expect(a.result.current.notice).toEqual({ kind: 'ok', text: 'Logged in' });
    await until(() => a.result.current.events !== null);
    await a.type('hal');
    expect(a.result.current.shown.map((e) => e.name)).toEqual(['Gala', 'Late show']);
    await a.press(KEY.down, KEY.down, KEY.down);
    expect(a.result.current.state.cursor).toBe(1);
    await a.press(KEY.enter);
    expect(a.opened).toEqual([['Late show', 'sell']]);
    await a.press(KEY.ctrl('d'));
    expect(a.opened).toEqual([
      ['Late show', 'sell'],
      ['Late show', 'door'],
    ]);
    await a.press(KEY.backspace);
    expect(a.result.current.state).toEqual({ filter: 'ha', cursor: 0 });
    await a.press(KEY.escape);
    expect(a.result.current.state.filter).toBe('');
    expect(a.result.current.shown).toHaveLength(3);
  });

  it('a door operator opens door mode with Enter', async () => {
    const services = fakeServices({ listEvents: async () => EVENTS, actor: { staffId: 2, name: 'dan', role: 'door' } });
    const a = pickerHarness(services);
    await until(() => a.result.current.events !== null);
    expect(a.result.current.door).toBe(true);
    await a.press(KEY.enter);
    expect(a.opened).toEqual([['Gala', 'door']]);
  });

  it('reads the list again on its timer; a failed read is a notice; ctrl+l logs out when it can', async () => {
    let fail = false;
    const services = fakeServices({
      listEvents: async () => {
        if (fail) throw new BoxofficeError('database_busy', 'database is locked');
        return EVENTS;
      },
    });
    const a = pickerHarness(services, { logout: true, refreshMs: 20 });
    await until(() => services.calls.length >= 3);
    fail = true;
    await until(() => a.result.current.notice?.kind === 'error');
    expect(a.result.current.notice).toMatchObject({ text: 'database is locked' });
    await a.press(KEY.ctrl('l'));
    expect(a.onLogout).toHaveBeenCalledTimes(1);
  });
});

describe('useLogin', () => {
  const ANN: Actor = { staffId: 1, name: 'ann', role: 'manager' };

  function loginHarness(login: (name: string, pin: string) => Promise<Actor>) {
    const onLoggedIn = vi.fn();
    const a = renderHook(() => useLogin({ login, onLoggedIn }));
    return Object.assign(a, { onLoggedIn });
  }

  it('enter on the name goes to the PIN; enter with both asks the core, trimmed, and hands on the operator', async () => {
    const login = vi.fn(async () => ANN);
    const a = loginHarness(login);
    await a.press(KEY.enter);
    expect(a.result.current.state.field).toBe('name');
    await a.type(' ann ');
    await a.press(KEY.enter);
    expect(a.result.current.state.field).toBe('pin');
    await a.press(KEY.enter);
    expect(login).not.toHaveBeenCalled();
    await a.type('12345');
    await a.press(KEY.backspace);
    expect(a.result.current.state.pin).toBe('1234');
    await a.press(KEY.enter);
    await until(() => a.onLoggedIn.mock.calls.length === 1);
    expect(login).toHaveBeenCalledWith('ann', '1234');
    expect(a.onLoggedIn).toHaveBeenCalledWith(ANN);
  });

  it('tab and the arrows move between the fields', async () => {
    const a = loginHarness(async () => ANN);
    await a.press(KEY.tab);
    expect(a.result.current.state.field).toBe('pin');
    await a.press(KEY.up);
    expect(a.result.current.state.field).toBe('name');
    await a.press(KEY.down);
    expect(a.result.current.state.field).toBe('pin');
  });

  it('a wrong PIN is cleared with the refusal shown, ready for another try', async () => {
    const a = loginHarness(async () => Promise.reject(new BoxofficeError('not_authenticated', 'wrong name or PIN')));
    await a.type('ann');
    await a.press(KEY.tab);
    await a.type('0000');
    await a.press(KEY.enter);
    await until(() => a.result.current.notice !== null);
    expect(a.result.current.notice).toMatchObject({ kind: 'error', text: 'wrong name or PIN' });
    expect(a.result.current.state).toEqual({ field: 'pin', name: 'ann', pin: '' });
    expect(a.result.current.busy).toBe(false);
  });
});
