// Login by PIN when staff exist: the core checks the PIN; the operator then shows on every screen.
import { afterEach, describe, expect, it } from 'vitest';
import { addStaff } from '../../src/core/staff/staff.js';
import { KEY, renderApp, uiCore, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

describe('login', () => {
  it('refuses a wrong PIN with the core message, logs in with the right one, and logs out', async () => {
    fx = await uiCore();
    await addStaff(fx.ctx, { name: 'Ana', role: 'admin', pin: '4821' });
    const ana = { staffId: 1, name: 'Ana', role: 'admin' as const };
    await addStaff({ ...fx.ctx, actor: ana }, { name: 'Carl', role: 'clerk', pin: '1111' });
    const app = renderApp(fx, { actor: null });
    await app.see('log in with your name and PIN');
    expect(app.frame()).toContain('not logged in');
    expect(app.frame()).toContain('enter log in');
    await app.type('Carl');
    await app.press(KEY.tab);
    await app.type('1112');
    expect(app.frame()).toContain('••••');
    expect(app.frame()).not.toContain('1112');
    await app.press(KEY.enter);
    await app.see('wrong operator name or PIN');
    await app.type('1111');
    await app.press(KEY.enter);
    expect(await app.see('Carl (clerk)')).toContain('Logged in as Carl (clerk)');
    // The event list loads after the login is shown.
    await app.see('Gala');
    await app.press(KEY.ctrl('l'));
    await app.see('Logged out');
    expect(app.frame()).toContain('not logged in');
    app.unmount();
  });
});
