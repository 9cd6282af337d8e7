// The receipt: the order code, each ticket's code, the first ticket's QR, after-sale actions
// shown as unavailable when this build has none, and `n` for the next sale.
import { afterEach, describe, expect, it } from 'vitest';
import { showOrder } from '../../src/core/orders/view.js';
import { qrText } from '../../src/ui/screens/receipt.js';
import { holdAndPay, KEY, mapRow, onlyOrderCode, renderApp, seatSymbol, uiCore, type UiFixture } from './helpers.js';

let fx: UiFixture;
afterEach(async () => fx?.close());

async function sell(app: ReturnType<typeof renderApp>) {
  await holdAndPay(app);
  await app.press(KEY.enter);
  return app.see('✔ PAID');
}

describe('receipt', () => {
  it('shows the order, every ticket code and the first ticket as a QR code', async () => {
    fx = await uiCore();
    const app = renderApp(fx);
    await sell(app);
    const code = await onlyOrderCode(fx, 'paid');
    const order = await showOrder(fx.ctx, code);
    const f = await app.see('first ticket');
    expect(f).toContain(`order ${code}`);
    for (const t of order.tickets) expect(f).toContain(t.code!);
    const qr = await qrText(order.tickets[0].code!);
    for (const line of qr.split('\n')) expect(f).toContain(line);
    expect(f).toMatch(/A-11 · first ticket/);
    app.unmount();
  });

  it('n starts the next sale on the same event, with the sold seats now sold', async () => {
    fx = await uiCore();
    const app = renderApp(fx);
    await sell(app);
    await app.press('n');
    const f = await app.see('STAGE');
    expect(f).toContain('Picked (0): —');
    expect(seatSymbol(mapRow(f, 'A'), 11)).toBe('●');
    expect(seatSymbol(mapRow(f, 'A'), 12)).toBe('●');
    expect(f).toContain('[Stalls 198 free]');
    app.unmount();
  });

  it('print, email and PDF show as unavailable when the services have none', async () => {
    fx = await uiCore();
    const app = renderApp(fx, { makeServices: (a) => ({ ...fx.services(a), tickets: {} }) });
    const f = await sell(app);
    expect(f).toContain('p print (n/a)');
    expect(f).toContain('e email (n/a)');
    expect(f).toContain('s save PDF (n/a)');
    await app.press('p');
    await app.see('Printing is not available in this build yet');
    await app.press(KEY.escape);
    await app.see(/sold\s+2/);
    app.unmount();
  });

  it('a long result (a PDF path) wraps at 120 columns instead of being cut off', async () => {
    fx = await uiCore();
    const dir = `/srv/box-office/exports/${'season-2027-spring-gala-'.repeat(3)}tickets`;
    const app = renderApp(fx, {
      size: { columns: 120, rows: 40 },
      makeServices: (a) => ({ ...fx.services(a), tickets: { savePdf: async (code: string) => `Saved 2 tickets to ${dir}/tickets-${code}.pdf` } }),
    });
    await sell(app);
    const code = await onlyOrderCode(fx, 'paid');
    const message = `Saved 2 tickets to ${dir}/tickets-${code}.pdf`;
    expect(message.length).toBeGreaterThan(120);
    await app.press('s');
    const f = await app.see('✔ Saved 2 tickets');
    const at = f.indexOf('✔ Saved');
    // Read back as a person would: the lines from the message on, joined, hold all of it.
    const shown = f
      .slice(at)
      .split('\n')
      .map((l) => l.trimEnd())
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(shown.replace(/ /g, '')).toContain(message.replace(/ /g, ''));
    expect(f).not.toContain('…');
    expect(f).toContain('esc events');
    app.unmount();
  });

  it('runs an after-sale action it is given and shows its result', async () => {
    fx = await uiCore();
    const asked: string[] = [];
    const app = renderApp(fx, {
      makeServices: (a) => ({
        ...fx.services(a),
        tickets: {
          savePdf: async (code: string) => {
            asked.push(code);
            return `Saved tickets-${code}.pdf`;
          },
        },
      }),
    });
    const f = await sell(app);
    expect(f).toContain('s save PDF');
    expect(f).not.toContain('s save PDF (n/a)');
    await app.press('s');
    await app.see(`Saved tickets-${asked[0]}.pdf`);
    app.unmount();
  });
});
