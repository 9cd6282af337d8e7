// The screens draw what their hooks hand them (src/ui/hooks): no state, effect, timer, key
// handler or call to the core written in a screen, so each behaviour has a hook its test drives.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCREENS = join(import.meta.dirname, '../../../src/ui/screens');
const SERVICE_CALLS = ['listEvents', 'seatMap', 'version', 'tiers', 'hold', 'changeTiers', 'release', 'pay', 'checkIn', 'admissions', 'newPaymentKey'];

describe('screens are views', () => {
  const files = readdirSync(SCREENS).filter((f) => f.endsWith('.tsx'));

  it('finds the screens', () => {
    expect(files).toEqual(expect.arrayContaining(['seat-map.tsx', 'cart.tsx', 'payment.tsx', 'door.tsx', 'receipt.tsx', 'event-picker.tsx', 'login.tsx']));
  });

  it.each(files)('%s keeps no state, effects, timers or key handling, and calls no service', (file) => {
    const text = readFileSync(join(SCREENS, file), 'utf8');
    expect(text).not.toMatch(/\buse(State|Effect|Ref|Callback|Reducer|SyncReducer|Keys|Input|Now)\b/);
    expect(text).not.toMatch(/\bset(Interval|Timeout)\(/);
    expect(text).not.toMatch(new RegExp(`services\\.(${SERVICE_CALLS.join('|')})\\(`));
    expect(text).not.toMatch(/services\.tickets\[/);
  });
});
