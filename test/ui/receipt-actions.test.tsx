// The receipt's print, email and save-PDF actions as the `ui` command wires them: the real PDF
// module (read back with pdftotext and zbarimg), a real print command, a real SMTP server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { receiptActions } from '../../src/ui/ticket-actions.js';
import { createServices } from '../../src/ui/services.js';
import { tempDir } from '../helpers/cli.js';
import { pdfText, qrCodesByPage } from '../helpers/pdf.js';
import { startSmtp } from '../helpers/smtp.js';
import { showOrder } from '../../src/core/orders/view.js';
import { holdAndPay, KEY, onlyOrderCode, renderApp, uiCore, waitUntil, type UiFixture } from './helpers.js';

let fx: UiFixture;
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  await fx?.close();
});

async function sellWithEmail(app: ReturnType<typeof renderApp>, email: string) {
  await holdAndPay(app);
  await app.press(KEY.tab);
  await app.type(email);
  await app.press(KEY.enter);
  return app.see('✔ PAID');
}

describe('receipt actions, for real', () => {
  it('saves the PDF, prints it through the print command, and emails it', async () => {
    fx = await uiCore();
    const dir = tempDir('boxoffice-receipt-');
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const server = await startSmtp();
    cleanup.push(() => server.close());
    const printed = path.join(dir, 'printed.pdf');
    const settings: Record<string, string> = { 'smtp.url': server.url, 'smtp.from': 'tickets@theatre.test', printCommand: `cp {file} ${printed}`, lang: 'en' };
    const session = { setting: (key: string) => settings[key] };
    const app = renderApp(fx, {
      makeServices: (a) => createServices(fx.base, a, receiptActions(session as never, { ...fx.base, actor: a }, {}, dir)),
    });
    let f = await sellWithEmail(app, 'ana@example.com');
    expect(f).not.toContain('(n/a)');
    const code = await onlyOrderCode(fx, 'paid');
    const order = await showOrder(fx.ctx, code);

    await app.press('s');
    const file = path.join(dir, `tickets-${code}.pdf`);
    f = await app.see(`Saved 2 tickets to ${file}`, 15_000);
    expect(pdfText(file)).toContain(code);
    expect(qrCodesByPage(file).flat().sort()).toEqual(order.tickets.map((t) => t.code).sort());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Saved again: a new name beside the first, which stays as it was.
    await app.press('s');
    await app.see(`Saved 2 tickets to ${path.join(dir, `tickets-${code}-2.pdf`)}`, 15_000);

    await app.press('p');
    await app.see('Sent 2 tickets to the default printer (cp)', 15_000);
    expect(pdfText(printed)).toContain(code);

    await app.press('e');
    await app.see('Emailed the tickets to ana@example.com', 15_000);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0].mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    app.unmount();
  });

  it('an email that cannot go now is queued and says so; the open TUI retries it in the background', async () => {
    fx = await uiCore();
    const settings: Record<string, string> = {};
    const session = { setting: (key: string) => settings[key] };
    const app = renderApp(fx, {
      mailRetryMs: 100,
      makeServices: (a) => createServices(fx.base, a, receiptActions(session as never, { ...fx.base, actor: a }, {}, tempDir())),
    });
    await sellWithEmail(app, 'joao@example.pt');
    await app.press('e');
    await app.see('Queued for joao@example.pt, not sent yet: no mail server is set', 15_000);
    // The mail server comes up while the TUI is open; its next background retry sends the mail.
    const server = await startSmtp();
    cleanup.push(() => server.close());
    settings['smtp.url'] = server.url;
    await fx.handle.db.updateTable('mail_queue').set({ next_attempt_at: '2000-01-01T00:00:00.000Z' }).execute();
    await waitUntil(() => server.messages.length === 1, 10_000, 'the background retry');
    const to = server.messages[0].mail.to;
    expect((Array.isArray(to) ? to[0] : to)?.text).toBe('joao@example.pt');
    app.unmount();
  });
});
