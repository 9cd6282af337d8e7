import { render } from 'ink-testing-library';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { App, type AppProps } from '../../src/ui/app.js';
import { createAuth, createServices, type BaseContext, type Services, type TicketActions } from '../../src/ui/services.js';
import type { Actor } from '../../src/core/staff/permissions.js';

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageDown: '\u001B[6~',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrl: (letter: string) => String.fromCharCode(letter.toLowerCase().charCodeAt(0) - 96),
};

export const SIZE = { columns: 110, rows: 32 };

export interface UiFixture extends CoreFixture {
  eventId: number;
  base: BaseContext;
  services(actor?: Actor, tickets?: TicketActions): Services;
}

export async function uiCore(options: { orderLimit?: number } = {}): Promise<UiFixture> {
  const core = await openCore();
  const { eventId } = await seedGala(core.ctx, options);
  const { actor: _actor, ...rest } = core.ctx;
  const base: BaseContext = { ...rest, channel: 'tui' };
  return { ...core, eventId: Number(eventId), base, services: (actor = core.ctx.actor, tickets = {}) => createServices(base, actor, tickets) };
}

export function renderApp(fx: UiFixture, props: Partial<AppProps> = {}) {
  const app = render(<App actor={fx.ctx.actor} auth={createAuth(fx.base)} makeServices={(a) => createServices(fx.base, a)} color={false} size={SIZE} pollMs={100} {...props} />);
  return withHelpers(app);
}

type AppDriver = ReturnType<typeof renderApp>;

/** From the event list to the cart: the first event, two seats side by side held for the sale. */
export async function holdTwoSeats(app: AppDriver): Promise<string> {
  await app.see('Gala');
  await app.press(KEY.enter);
  await app.see('STAGE');
  await app.press(' ', KEY.right, ' ', KEY.enter);
  return app.see('held for this sale');
}

/** On from holdTwoSeats to the payment screen. */
export async function holdAndPay(app: AppDriver): Promise<string> {
  await holdTwoSeats(app);
  await app.press(KEY.enter);
  return app.see('take payment');
}

/** The code of the one order in `status` (a test's only sale). */
export async function onlyOrderCode(fx: CoreFixture, status: 'pending' | 'paid'): Promise<string> {
  return (await fx.handle.db.selectFrom('orders').select('code').where('status', '=', status).executeTakeFirstOrThrow()).code;
}

export function withHelpers<T extends { lastFrame(): string | undefined; stdin: { write(s: string): void } }>(app: T) {
  return Object.assign(app, {
    frame: () => app.lastFrame() ?? '',
    /** Writes keys one at a time, letting Ink handle each, as a person types. */
    async press(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        await tick();
      }
    },
    async type(text: string) {
      for (const ch of text) {
        app.stdin.write(ch);
        await tick();
      }
    },
    /**
     * Waits until the frame contains `text` (or matches), failing with the last frame; then lets
     * React run its effects, so the screen just drawn is listening for keys.
     */
    async see(text: string | RegExp, timeoutMs = 4000): Promise<string> {
      await waitForFrame(() => app.lastFrame() ?? '', text, timeoutMs);
      await tick(40);
      return app.lastFrame() ?? '';
    },
  });
}

export const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));

export async function waitForFrame(frame: () => string, text: string | RegExp, timeoutMs = 4000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const f = frame();
    if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${f}`);
    await tick(20);
  }
}

export async function waitUntil<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 4000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(20);
  }
}

/** The seat map row of `row` as drawn: the row label then two columns per seat. */
export function mapRow(frame: string, row: string): string {
  const line = frame.split('\n').find((l) => new RegExp(`^\\s*${row}[ ▸]`).test(l));
  if (!line) throw new Error(`row ${row} not on screen:\n${frame}`);
  return line;
}

/** The symbol drawn for seat `number` of a row line (seat numbers from 1, label width 1). */
export function seatSymbol(line: string, number: number, labelWidth = 1): string {
  return [...line][labelWidth + (number - 1) * 2 + 1];
}
