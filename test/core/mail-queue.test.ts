// The mail queue's rules on a real database file with a manual clock and a transport that counts
// what it is given: backoff, due times, claims that keep two senders apart, a claim left by a
// crashed sender taken over after the lease, the Message-ID kept across attempts, a sent mail
// never sent again. Also the templates' escaping and the print command's argv.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { sellSeats } from '../../src/core/orders/sale.js';
import { backoffMinutes, deliverMail, listMail, SENDING_LEASE_MINUTES, type MailTransport } from '../../src/core/mail/queue.js';
import { queueTicketsEmail } from '../../src/core/mail/tickets-mail.js';
import { fillTemplate, renderTicketsEmail } from '../../src/core/mail/templates.js';
import { smtpSettings } from '../../src/core/mail/settings.js';
import { orderPrintables } from '../../src/core/tickets/printable.js';
import { printArgv, splitCommandLine, printSettings } from '../../src/core/tickets/print.js';
import { resolveLanguage } from '../../src/core/tickets/assets.js';
import { BoxofficeError } from '../../src/core/errors.js';
import { deliverSale } from '../../src/cli/runtime/delivery.js';
import type { CoreSession } from '../../src/cli/runtime/context.js';
import { seats, tiers } from '../helpers/requests.js';

let core: CoreFixture;
const settings = smtpSettings({ BOXOFFICE_SMTP_URL: 'smtp://127.0.0.1:1', BOXOFFICE_SMTP_FROM: 'tickets@theatre.example' })!;

/** A transport that fails while `down` is set and records every message it is handed. */
function countingTransport() {
  const seen: Record<string, unknown>[] = [];
  const transport = {
    down: false,
    seen,
    async sendMail(message: Record<string, unknown>) {
      seen.push(message);
      if (transport.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      return { messageId: message.messageId };
    },
    close() {},
  };
  return transport satisfies MailTransport & { down: boolean };
}

async function soldOrder(name = 'Zoë São João') {
  const order = await sellSeats(core.ctx, { event: 'Gala', best: 2, tier: [{ name: 'Adult' }], payment: { method: 'cash' }, email: 'zoe@example.com', name });
  return order.code;
}

beforeEach(async () => {
  core = await openCore();
  await seedGala(core.ctx);
});
afterEach(async () => core.close());

describe('the mail queue', () => {
  it('backs off 1, 2, 4 … minutes, up to six hours', () => {
    expect([1, 2, 3, 4, 5].map(backoffMinutes)).toEqual([1, 2, 4, 8, 16]);
    expect(backoffMinutes(30)).toBe(360);
  });

  it('retries a failed mail only when due (or forced), keeps its Message-ID, and never sends it twice', async () => {
    const mail = await queueTicketsEmail(core.ctx, { order: await soldOrder(), lang: 'en' });
    expect(mail).toMatchObject({ status: 'queued', attempts: 0, to: 'zoe@example.com', lang: 'en' });
    const transport = countingTransport();
    transport.down = true;

    const first = await deliverMail(core.ctx, { settings, transport });
    expect(first.failed.map((m) => m.id)).toEqual([mail.id]);
    expect(first.failed[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: 'connect ECONNREFUSED 127.0.0.1:1', nextAttemptAt: '2027-01-10T12:01:00.000Z' });

    // Not due yet: nothing is tried.
    expect((await deliverMail(core.ctx, { settings, transport })).failed).toEqual([]);
    expect(transport.seen).toHaveLength(1);
    // Forced (mail retry): tried whatever the backoff.
    await deliverMail(core.ctx, { settings, transport, force: true });
    expect(transport.seen).toHaveLength(2);
    expect((await listMail(core.ctx))[0]).toMatchObject({ attempts: 2, nextAttemptAt: '2027-01-10T12:02:00.000Z' });

    transport.down = false;
    core.clock.advance(2);
    const sent = await deliverMail(core.ctx, { settings, transport });
    expect(sent.sent.map((m) => m.id)).toEqual([mail.id]);
    expect(sent.sent[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: null, nextAttemptAt: null, sentAt: '2027-01-10T12:02:00.000Z' });
    expect(new Set(transport.seen.map((m) => m.messageId))).toEqual(new Set([mail.messageId]));
    expect(transport.seen[2]).toMatchObject({ from: 'tickets@theatre.example', to: 'zoe@example.com', date: new Date('2027-01-10T12:00:00.000Z') });

    const again = await deliverMail(core.ctx, { settings, transport, ids: [mail.id], force: true });
    expect(again).toMatchObject({ sent: [], failed: [], alreadySent: [mail.id] });
    expect(await deliverMail(core.ctx, { settings, transport, force: true })).toMatchObject({ sent: [], failed: [] });
    expect(transport.seen).toHaveLength(3);
  });

  it('leaves a mail another sender has claimed, and takes it over once the claim is older than the lease', async () => {
    const mail = await queueTicketsEmail(core.ctx, { order: await soldOrder(), lang: 'en' });
    // Another process claimed it and (as far as we know) is sending it.
    await core.query("update mail_queue set status = 'sending', claim_token = 'other', claimed_at = ? where id = ?", core.clock.now().toISOString(), mail.id);
    const transport = countingTransport();
    const busy = await deliverMail(core.ctx, { settings, transport, force: true });
    expect(busy.sent).toEqual([]);
    expect((await deliverMail(core.ctx, { settings, transport, ids: [mail.id] })).busy).toEqual([mail.id]);
    expect(transport.seen).toHaveLength(0);

    // That process died mid-send: after the lease the mail is sent again, with the same Message-ID.
    core.clock.advance(SENDING_LEASE_MINUTES + 1);
    const taken = await deliverMail(core.ctx, { settings, transport });
    expect(taken.sent.map((m) => m.messageId)).toEqual([mail.messageId]);
    // The late sender cannot mark it: its claim token is no longer the mail's.
    expect(await core.query('select status, claim_token from mail_queue where id = ?', mail.id)).toEqual([{ status: 'sent', claim_token: null }]);
  });

  it('needs an address: the customer, or --to', async () => {
    const anonymous = await sellSeats(core.ctx, { event: 'Gala', quantity: 1, section: 'Floor', tier: [{ name: 'Adult' }], payment: { method: 'cash' } });
    await expect(queueTicketsEmail(core.ctx, { order: anonymous.code, lang: 'en' })).rejects.toThrow(/has no email address/);
    const mail = await queueTicketsEmail(core.ctx, { order: anonymous.code, lang: 'pt', to: 'ana@example.com' });
    expect(mail).toMatchObject({ to: 'ana@example.com', lang: 'pt', attachment: `bilhetes-${anonymous.code}.pdf` });
    await expect(queueTicketsEmail(core.ctx, { order: anonymous.code, lang: 'en', to: 'nobody' })).rejects.toBeInstanceOf(BoxofficeError);
  });

  it('a sale and its replay with --send, asked at once, queue the tickets mail once', async () => {
    const request = { event: 'Gala', seats: seats('C-1,C-2'), tier: tiers('Adult'), payment: { method: 'cash' as const }, email: 'kim@example.com', idempotencyKey: 'till-7' };
    const first = await sellSeats(core.ctx, request);
    const replay = await sellSeats(core.ctx, request);
    expect(replay).toMatchObject({ code: first.code, replayed: true });
    // Two terminals retrying one sale: the replay's process reaches the mail while the first one
    // is still rendering its PDF (the order every retry after a lost answer can take).
    const session = { ctx: core.ctx, setting: () => undefined } as unknown as CoreSession;
    const checked = { force: false, layout: 'a4', send: true, lang: 'en' } as const;
    const replayed = await deliverSale(session, replay.code, checked, true);
    const made = await deliverSale(session, first.code, checked, false);
    const queued = await core.query<{ id: number }>("select m.id from mail_queue m join orders o on o.id = m.order_id where o.code = ? and m.kind = 'tickets'", first.code);
    expect(queued).toHaveLength(1);
    expect(made.mail).toMatchObject({ id: queued[0].id, to: 'kim@example.com', status: 'queued', error: expect.stringContaining('no mail server') });
    expect(replayed.mail).toMatchObject({ id: queued[0].id, status: 'queued' });
    const events = await core.query<{ n: number }>("select count(*) as n from outbox where type = 'mail.queued'");
    expect(Number(events[0].n)).toBe(1);
  });
});

describe('the tickets email templates', () => {
  it('escape names in the HTML but not in the text', async () => {
    const code = await soldOrder('Ana <b>&</b> "Zé"');
    const { tickets } = await orderPrintables(core.ctx, code);
    const email = renderTicketsEmail('en', tickets, tickets[0].holderName);
    expect(email.text).toContain('Hello Ana <b>&</b> "Zé",');
    expect(email.html).toContain('Hello Ana &lt;b&gt;&amp;&lt;/b&gt; &quot;Zé&quot;,');
    expect(email.html).not.toContain('<b>&</b>');
    expect(email.subject).toBe(`Your tickets for Gala – order ${code}`);
  });

  it('refuse a placeholder they cannot fill, rather than sending a blank', () => {
    expect(() => fillTemplate('Hi {{nmae}}', { name: 'Ana' }, false, 'body.txt')).toThrow(/body\.txt uses \{\{nmae\}\}/);
  });

  it('pick the language from --lang, else BOXOFFICE_LANG, else English', () => {
    expect(resolveLanguage(undefined, {})).toBe('en');
    expect(resolveLanguage(undefined, { BOXOFFICE_LANG: 'pt_PT.UTF-8' })).toBe('pt');
    expect(resolveLanguage(undefined, { BOXOFFICE_LANG: 'de' })).toBe('en');
    expect(resolveLanguage('EN', { BOXOFFICE_LANG: 'pt' })).toBe('en');
    expect(() => resolveLanguage('fr', {})).toThrow(expect.objectContaining({ code: 'invalid_input', hint: 'use one of: en, pt' }));
  });
});

describe('the print command', () => {
  it('is lp, with -d only when a printer is named', () => {
    expect(printArgv(printSettings({}), '/tmp/t.pdf', undefined)).toEqual(['lp', '/tmp/t.pdf']);
    expect(printArgv(printSettings({}), '/tmp/t.pdf', 'boca')).toEqual(['lp', '-d', 'boca', '/tmp/t.pdf']);
    expect(printArgv(printSettings({ BOXOFFICE_PRINTER: 'office' }), '/tmp/t.pdf', undefined)).toEqual(['lp', '-d', 'office', '/tmp/t.pdf']);
  });

  it('takes a command line with quotes; file names are never split or read as shell', () => {
    const settings = printSettings({ BOXOFFICE_PRINT_COMMAND: `lpr -P {printer} -o 'media=Custom.2x5.5in' "{file}"` });
    expect(printArgv(settings, '/tmp/my tickets; rm -rf.pdf', 'boca 2')).toEqual(['lpr', '-P', 'boca 2', '-o', 'media=Custom.2x5.5in', '/tmp/my tickets; rm -rf.pdf']);
    expect(printArgv(printSettings({ BOXOFFICE_PRINT_COMMAND: 'print-it --now' }), '/tmp/t.pdf', undefined)).toEqual(['print-it', '--now', '/tmp/t.pdf']);
    expect(() => printArgv(settings, '/tmp/t.pdf', undefined)).toThrow(/needs a printer/);
    expect(() => splitCommandLine('lp "unclosed')).toThrow(/unclosed/);
  });
});
