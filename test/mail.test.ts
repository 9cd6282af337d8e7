// Ticket email through the real binary and a real SMTP exchange with an in-process smtp-server:
// the parsed message has the right recipient, subject, text and HTML in the chosen language and
// the order's PDF attached. A mail server that is down never fails a sale; the mail waits in the
// queue and `mail retry` delivers it exactly once, with the Message-ID it was queued with.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { preparedSandbox } from './helpers/cli.js';
import { querySync } from './helpers/db.js';
import { pdfText, qrCodesByPage } from './helpers/pdf.js';
import { freePort, runAsync, startSmtp, type TestSmtp } from './helpers/smtp.js';

const box = preparedSandbox();
const FROM = 'Box Office <tickets@theatre.example>';
const servers: TestSmtp[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, BOXOFFICE_SMTP_FROM: FROM, ...extra };
}

async function smtp(options: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const server = await startSmtp(options);
  servers.push(server);
  return server;
}

function rows<T>(sql: string, ...params: unknown[]): T[] {
  return querySync<T>(box.db, sql, ...params);
}

let seat = 0;
/** A sale of one seat in its own row-seat, so every test has an order of its own. */
async function sell(args: string[], extraEnv: Record<string, string>) {
  seat++;
  return runAsync(['sell', 'Gala', '--seats', `E-${seat}`, '--tier', 'Adult', '--pay', 'cash', ...args, '--json'], env(extraEnv));
}

beforeAll(() => undefined);
afterEach(async () => {
  while (servers.length) await servers.pop()?.close();
});
afterAll(() => box.cleanup());

describe('sell --send and tickets email', () => {
  it('delivers the tickets in Portuguese with the PDF attached, over SMTP with a login', async () => {
    const server = await smtp();
    const r = await sell(['--email', 'joao@example.pt', '--name', 'João São', '--send', '--lang', 'pt'], { BOXOFFICE_SMTP_URL: server.url });
    expect(r.code, r.stderr).toBe(0);
    const order = r.json.code as string;
    const codes = r.json.tickets.map((t: { code: string }) => t.code);
    expect(r.json.mail).toMatchObject({ status: 'sent', to: 'joao@example.pt', error: null });

    expect(server.messages).toHaveLength(1);
    const [{ to, from, user, mail }] = server.messages;
    expect(to).toEqual(['joao@example.pt']);
    expect(from).toBe('tickets@theatre.example');
    expect(user).toBe('box');
    expect(mail.messageId).toBe(r.json.mail.messageId);
    expect(mail.from?.value[0]).toMatchObject({ address: 'tickets@theatre.example', name: 'Box Office' });
    expect(mail.subject).toBe(`Os seus bilhetes para Gala – encomenda ${order}`);
    expect(mail.text).toContain('Olá João São,');
    expect(mail.text).toContain(`Obrigado pela sua encomenda ${order}`);
    expect(mail.text).toContain('segunda-feira, 1 de março de 2027 às 20:00');
    // pt-PT money has a no-break space before the € sign.
    expect(mail.text?.replace(/\u00a0/g, ' ')).toContain(`Stalls, fila E, lugar ${seat} · Adult · 25,00 € · bilhete ${codes[0]}`);
    expect(mail.html).toContain('<html lang="pt">');
    expect(mail.html).toContain('<p>Olá João São,</p>');
    expect(mail.html).toContain(`<strong>${order}</strong>`);
    expect(mail.html).toContain('Quando');

    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf.filename).toBe(`bilhetes-${order}.pdf`);
    expect(pdf.contentType).toBe('application/pdf');
    const file = path.join(box.dir, `mailed-${order}.pdf`);
    fs.writeFileSync(file, pdf.content);
    const text = pdfText(file);
    expect(text).toContain(`Encomenda ${order}`);
    expect(text).toContain('Nome: João São');
    expect(qrCodesByPage(file).flat()).toEqual(codes);

    const events = rows<{ type: string; data: string }>("select type, data from outbox where type in ('mail.queued', 'mail.sent', 'tickets.rendered') order by seq").map((e) => ({
      type: e.type,
      data: JSON.parse(e.data),
    }));
    expect(events.filter((e) => e.data.messageId === mail.messageId).map((e) => e.type)).toEqual(['mail.queued', 'mail.sent']);
    expect(events.some((e) => e.type === 'tickets.rendered' && e.data.order === order && e.data.purpose === 'email')).toBe(true);
  });

  it('tickets email: English with --lang en and --to; BOXOFFICE_LANG=pt when no --lang', async () => {
    const server = await smtp();
    const sale = await sell(['--email', 'ana@example.com', '--name', 'Zoë'], {});
    expect(sale.code, sale.stderr).toBe(0);
    const order = sale.json.code as string;

    const en = await runAsync(['tickets', 'email', order, '--to', 'box@example.org', '--lang', 'en', '--json'], env({ BOXOFFICE_SMTP_URL: server.url, BOXOFFICE_LANG: 'pt' }));
    expect(en.code, en.stderr).toBe(0);
    expect(en.json).toMatchObject({ status: 'sent', to: 'box@example.org', order, lang: 'en', error: null });
    const english = server.messages[0].mail;
    expect(server.messages[0].to).toEqual(['box@example.org']);
    expect(english.subject).toBe(`Your tickets for Gala – order ${order}`);
    expect(english.text).toContain('Hello Zoë,');
    expect(english.text).toContain('When:  Monday, 1 March 2027 at 20:00');
    expect(english.html).toContain('<html lang="en">');
    expect(english.attachments[0].filename).toBe(`tickets-${order}.pdf`);

    const pt = await runAsync(['tickets', 'email', order], env({ BOXOFFICE_SMTP_URL: server.url, BOXOFFICE_LANG: 'pt_PT.UTF-8' }));
    expect(pt.code, pt.stderr).toBe(0);
    expect(pt.stderr).toContain('ana@example.com');
    expect(server.messages[1].to).toEqual(['ana@example.com']);
    expect(server.messages[1].mail.subject).toBe(`Os seus bilhetes para Gala – encomenda ${order}`);
    expect(server.messages[1].mail.messageId).not.toBe(english.messageId);
  });

  it('a sale retried with its idempotency key does not mail the tickets a second time', async () => {
    const server = await smtp();
    seat++;
    const args = ['sell', 'Gala', '--seats', `E-${seat}`, '--tier', 'Adult', '--pay', 'cash', '--email', 'kim@example.com', '--send', '--idempotency-key', `till-${seat}`, '--json'];
    const first = await runAsync(args, env({ BOXOFFICE_SMTP_URL: server.url }));
    const again = await runAsync(args, env({ BOXOFFICE_SMTP_URL: server.url }));
    expect(first.code, first.stderr).toBe(0);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.replayed).toBe(true);
    expect(again.json.mail).toMatchObject({ id: first.json.mail.id, status: 'sent', messageId: first.json.mail.messageId });
    expect(server.messages).toHaveLength(1);
  });

  it('refuses what cannot be sent: --send without --email sells nothing; no address on the order; unknown language', async () => {
    const before = rows<{ n: number }>('select count(*) n from orders')[0].n;
    const r = await sell(['--send'], {});
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toContain('--send needs --email');
    expect(rows<{ n: number }>('select count(*) n from orders')[0].n).toBe(before);

    const anonymous = await sell([], {});
    expect(anonymous.code).toBe(0);
    const noAddress = await runAsync(['tickets', 'email', anonymous.json.code], env());
    expect(noAddress.code).toBe(2);
    expect(noAddress.stderr).toContain('--to');
    expect((await runAsync(['tickets', 'email', anonymous.json.code, '--to', 'x@example.com', '--lang', 'fr'], env())).code).toBe(2);
    expect((await runAsync(['tickets', 'email', anonymous.json.code, '--to', 'not-an-address'], env())).code).toBe(2);
    expect(rows<{ n: number }>('select count(*) n from mail_queue where order_id = (select id from orders where code = ?)', anonymous.json.code)[0].n).toBe(0);
  });
});

describe('when the mail server is down', () => {
  it('the sale succeeds and the mail waits; when the server is up, mail retry delivers it exactly once', async () => {
    const port = await freePort();
    const url = `smtp://box:secret@127.0.0.1:${port}`;
    const r = await sell(['--email', 'rui@example.pt', '--send', '--lang', 'pt'], { BOXOFFICE_SMTP_URL: url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.status).toBe('paid');
    expect(r.json.mail).toMatchObject({ status: 'queued', to: 'rui@example.pt' });
    expect(r.json.mail.error).toContain('ECONNREFUSED');
    const queuedId = r.json.mail.messageId as string;

    seat++;
    const human = await runAsync(['sell', 'Gala', '--seats', `E-${seat}`, '--tier', 'Adult', '--pay', 'cash', '--email', 'rui@example.pt', '--send'], env({ BOXOFFICE_SMTP_URL: url }));
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Sold order');
    expect(human.stderr).toMatch(/the tickets email to rui@example\.pt is queued \(mail \d+\) but not sent yet: connect ECONNREFUSED/);
    expect(human.stderr).toContain('boxoffice mail retry');

    const waiting = await runAsync(['mail', 'list', '--status', 'queued', '--json'], env());
    expect(waiting.code).toBe(0);
    const mine = waiting.json.find((m: { messageId: string }) => m.messageId === queuedId);
    expect(mine).toMatchObject({ status: 'queued', attempts: 1, order: r.json.code, to: 'rui@example.pt' });
    expect(mine.lastError).toContain('ECONNREFUSED');

    // The server comes up on the address in the config file (config set, not the environment).
    const server = await smtp({ port });
    const set = await runAsync(['config', 'set', 'smtp.url', url], env());
    expect(set.code, set.stderr).toBe(0);
    const retry = await runAsync(['mail', 'retry', '--json'], env());
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.json.failed).toEqual([]);
    expect(retry.json.sent.map((m: { messageId: string }) => m.messageId)).toContain(queuedId);

    const again = await runAsync(['mail', 'retry'], env());
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('No mail is waiting');
    const once = await runAsync(['mail', 'retry', String(mine.id)], env());
    expect(once.stdout).toContain('never sent twice');

    expect(server.messages.filter((m) => m.mail.messageId === queuedId)).toHaveLength(1);
    expect(server.messages.find((m) => m.mail.messageId === queuedId)?.mail.subject).toContain(r.json.code);
    const sent = await runAsync(['mail', 'list', '--order', r.json.code, '--json'], env());
    expect(sent.json).toHaveLength(1);
    expect(sent.json[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null, nextAttemptAt: null });
    await runAsync(['config', 'unset', 'smtp.url'], env());
    const types = rows<{ type: string }>("select type from outbox where type like 'mail.%' and data like ? order by seq", `%"messageId":${JSON.stringify(queuedId)}%`).map((e) => e.type);
    expect(types).toEqual(['mail.queued', 'mail.failed', 'mail.sent']);
  });

  it('a refused attempt is retried with the same Message-ID', async () => {
    const server = await smtp({ refuseFirst: 1 });
    const r = await sell(['--email', 'eva@example.com', '--send'], { BOXOFFICE_SMTP_URL: server.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.mail.status).toBe('queued');
    expect(r.json.mail.error).toContain('451');
    const retry = await runAsync(['mail', 'retry', '--json'], env({ BOXOFFICE_SMTP_URL: server.url }));
    expect(retry.code, retry.stderr).toBe(0);
    const id = r.json.mail.messageId as string;
    expect(server.attempts.filter((a) => a === id)).toEqual([id, id]);
    expect(server.messages.filter((m) => m.mail.messageId === id)).toHaveLength(1);
  });

  it('mail retry without a mail server set exits 2; with the server still down it exits 1 and the mail keeps waiting', async () => {
    const r = await sell(['--email', 'max@example.com', '--send'], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.mail).toMatchObject({ status: 'queued' });
    expect(r.json.mail.error).toContain('BOXOFFICE_SMTP_URL');
    const unset = await runAsync(['mail', 'retry'], env());
    expect(unset.code).toBe(2);
    const port = await freePort();
    const down = await runAsync(['mail', 'retry', '--json'], env({ BOXOFFICE_SMTP_URL: `smtp://127.0.0.1:${port}` }));
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stderr).error.code).toBe('delivery_failed');
    expect(down.json.failed.length).toBeGreaterThanOrEqual(1);
    // Delivered at last, so later tests start from an empty queue.
    const server = await smtp();
    const up = await runAsync(['mail', 'retry'], env({ BOXOFFICE_SMTP_URL: server.url }));
    expect(up.code, up.stderr).toBe(0);
    expect(rows<{ n: number }>("select count(*) n from mail_queue where status != 'sent'")[0].n).toBe(0);
  });

  it('two processes retrying at once send each mail exactly once', async () => {
    const port = await freePort();
    const url = `smtp://127.0.0.1:${port}`;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await sell(['--email', `guest${i}@example.com`, '--send'], { BOXOFFICE_SMTP_URL: url });
      expect(r.code, r.stderr).toBe(0);
      ids.push(r.json.mail.messageId);
    }
    const server = await smtp({ port, delayMs: 150 });
    const [a, b] = await Promise.all([runAsync(['mail', 'retry', '--json'], env({ BOXOFFICE_SMTP_URL: url })), runAsync(['mail', 'retry', '--json'], env({ BOXOFFICE_SMTP_URL: url }))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const sentBy = [...a.json.sent, ...b.json.sent].map((m: { messageId: string }) => m.messageId).sort();
    expect(sentBy).toEqual([...ids].sort());
    expect(server.messages.map((m) => m.mail.messageId).sort()).toEqual([...ids].sort());
  });
});

describe('any later command', () => {
  it('sends mail that has come due, once, without changing its own output', async () => {
    const port = await freePort();
    const url = `smtp://box:secret@127.0.0.1:${port}`;
    const r = await sell(['--email', 'ana@example.pt', '--send'], { BOXOFFICE_SMTP_URL: url });
    expect(r.json.mail).toMatchObject({ status: 'queued' });
    const server = await smtp({ port });
    // Not due yet (the first retry waits a minute): an unrelated command leaves it alone.
    const early = await runAsync(['event', 'list', '--json'], env({ BOXOFFICE_SMTP_URL: url }));
    expect(early.code).toBe(0);
    expect(server.messages).toHaveLength(0);
    const later = { BOXOFFICE_SMTP_URL: url, BOXOFFICE_NOW: new Date(Date.now() + 5 * 60_000).toISOString() };
    const list = await runAsync(['event', 'list', '--json'], env(later));
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)[0].name).toBe('Gala');
    expect(list.stderr).toContain('Sent 1 waiting email(s).');
    expect(server.messages.map((m) => m.to)).toEqual([['ana@example.pt']]);
    await runAsync(['order', 'list', '--json'], env(later));
    expect(server.messages).toHaveLength(1);
  });

  it('does not hold a command up for long when the mail server takes the connection but never answers', async () => {
    const port = await freePort();
    const url = `smtp://box:secret@127.0.0.1:${port}`;
    for (const email of ['ines@example.pt', 'joao@example.pt', 'luis@example.pt']) {
      const r = await sell(['--email', email, '--send'], { BOXOFFICE_SMTP_URL: url });
      expect(r.json.mail).toMatchObject({ status: 'queued' });
    }
    // A black hole: the connection is accepted, no greeting ever comes.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const later = { BOXOFFICE_SMTP_URL: url, BOXOFFICE_NOW: new Date(Date.now() + 5 * 60_000).toISOString() };
      const started = performance.now();
      const list = await runAsync(['event', 'list', '--json'], env(later));
      const seconds = (performance.now() - started) / 1000;
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)[0].name).toBe('Gala');
      expect(list.stderr).toMatch(/\b3 email\(s\) still waiting for the mail server/);
      // One wait of 3 s (15 s for mail retry), not one per mail: 3 mails took 9 s and more before.
      expect(seconds).toBeLessThan(8);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
