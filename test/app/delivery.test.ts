// The application's delivery of tickets, as both fronts call it: after a sale, on demand, and
// the mail that waits for its server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSaleDelivery, deliverSale, emailTickets, printTickets, retryDueMail, saveTicketsPdf } from '../../src/app/delivery.js';
import { languageOf, mailSettingsOf, printSettingsOf, type DeliverySettings } from '../../src/app/settings.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { inProcess } from '../helpers/in-process.js';
import { tempDir } from '../helpers/cli.js';

let core: CoreFixture;
let dir: string;
let order: string;
const none: DeliverySettings = { setting: () => undefined };
const settings = (values: Record<string, string>): DeliverySettings => ({ setting: (key) => values[key] });

beforeAll(async () => {
  core = await openCore();
  await seedGala(core.ctx);
  dir = tempDir('boxoffice-app-delivery-');
  const sale = await inProcess({ BOXOFFICE_DB: core.target, BOXOFFICE_CONFIG_DIR: dir })([
    'sell',
    'Gala',
    '--seats',
    'B-1',
    '--tier',
    'Adult',
    '--pay',
    'cash',
    '--email',
    'kim@example.com',
    '--json',
  ]);
  expect(sale.code).toBe(0);
  order = sale.json.code;
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('reads the mail server, print command and language from one lookup', () => {
    expect(mailSettingsOf(none)).toBeNull();
    expect(mailSettingsOf(settings({ 'smtp.url': 'smtp://127.0.0.1:2525', 'smtp.from': 'box@theatre.example' }))).toMatchObject({ from: 'box@theatre.example' });
    expect(printSettingsOf(settings({ printCommand: 'lpr {file}' }), { BOXOFFICE_PRINTER: 'boca' })).toMatchObject({ command: 'lpr {file}', printer: 'boca' });
    expect(languageOf(settings({ lang: 'pt' }), undefined)).toBe('pt');
    expect(languageOf(settings({ lang: 'pt' }), 'en')).toBe('en');
    expect(languageOf(none, undefined)).toBe('en');
  });
});

describe('after a sale', () => {
  it('checks the delivery before the sale: a file that exists is refused without force', () => {
    const file = path.join(dir, 'taken.pdf');
    fs.writeFileSync(file, 'x');
    expect(() => checkSaleDelivery(none, { pdf: file })).toThrow(expect.objectContaining({ code: 'already_exists' }));
    expect(checkSaleDelivery(none, { pdf: file, force: true, layout: 'stock', send: true })).toEqual({ pdf: file, force: true, layout: 'stock', send: true, lang: 'en' });
    expect(() => checkSaleDelivery(none, { layout: 'poster' })).toThrow();
  });

  it('writes the PDF and queues the email; a failure is returned, never thrown', async () => {
    const file = path.join(dir, 'sale.pdf');
    const done = await deliverSale(core.ctx, none, order, checkSaleDelivery(none, { pdf: file, send: true }), false);
    expect(done.pdf).toEqual({ file, tickets: 1, pages: 1, layout: 'a4' });
    expect(done.mail).toMatchObject({ to: 'kim@example.com', status: 'queued', error: expect.stringContaining('no mail server') });
    const failed = await deliverSale(core.ctx, none, 'NOSUCH', { pdf: path.join(dir, 'none.pdf'), force: false, layout: 'a4', send: false, lang: 'en' }, false);
    expect(failed.pdf).toMatchObject({ file: path.join(dir, 'none.pdf'), error: expect.any(String) });
  });

  it('begins nothing once stopped', async () => {
    const done = await deliverSale(core.ctx, none, order, { pdf: path.join(dir, 'stopped.pdf'), force: false, layout: 'a4', send: true, lang: 'en' }, false, () => true);
    expect(done).toEqual({ pdf: { file: path.join(dir, 'stopped.pdf'), error: 'interrupted before it was begun' }, mail: { error: 'interrupted before it was begun' } });
    expect(fs.existsSync(path.join(dir, 'stopped.pdf'))).toBe(false);
  });
});

describe('on demand', () => {
  it('saves beside the others without replacing one: tickets-<order>.pdf, then -2', async () => {
    const folder = tempDir('boxoffice-app-save-');
    const first = await saveTicketsPdf(core.ctx, none, order, folder);
    const second = await saveTicketsPdf(core.ctx, none, order, folder);
    expect([first.file, second.file]).toEqual([path.join(folder, `tickets-${order}.pdf`), path.join(folder, `tickets-${order}-2.pdf`)]);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('prints with the print command the settings name', async () => {
    const copy = path.join(dir, 'printed.pdf');
    const result = await printTickets(core.ctx, settings({ printCommand: `cp {file} ${copy}` }), {}, { order, layout: 'a4', lang: 'en' });
    expect(result).toMatchObject({ tickets: 1, printer: null, command: ['cp', expect.any(String), copy], kept: false });
    expect(fs.existsSync(copy)).toBe(true);
  });

  it('queues the email when no mail server is set, and says so', async () => {
    const outcome = await emailTickets(core.ctx, none, { order, to: 'ana@example.com', lang: 'pt' });
    expect(outcome.settings).toBeNull();
    expect(outcome.mail).toMatchObject({ to: 'ana@example.com', status: 'queued' });
    expect(outcome.notSent).toContain('no mail server');
  });
});

describe('due mail', () => {
  it('is left alone without a mail server, and tried when one is set', async () => {
    expect(await retryDueMail(core.ctx, none)).toBeNull();
    // A server that is not there: the mail stays queued, counted.
    const report = await retryDueMail(core.ctx, settings({ 'smtp.url': 'smtp://127.0.0.1:1', 'smtp.from': 'box@theatre.example' }), { quick: true });
    expect(report?.sent).toEqual([]);
    expect(report?.failed.length).toBe(1);
    expect(report?.stillUnsent).toBeGreaterThanOrEqual(2);
  });
});
