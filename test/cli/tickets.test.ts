// `boxoffice tickets …` run in-process: each subcommand's run function with a buffered IO.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runTicketsEmail, runTicketsPdf, runTicketsPrint, runTicketsReissue, runTicketsShow } from '../../src/cli/cmd/tickets/tickets.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { inProcess } from '../helpers/in-process.js';
import { sessionOf } from '../helpers/session.js';
import { tempDir } from '../helpers/cli.js';

let core: CoreFixture;
let dir: string;
let order: string;
let ticket: string;

beforeAll(async () => {
  core = await openCore();
  await seedGala(core.ctx);
  dir = tempDir('boxoffice-tickets-run-');
  const cli = inProcess({ BOXOFFICE_DB: core.target, BOXOFFICE_CONFIG_DIR: dir });
  const sale = await cli(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--email', 'kim@example.com', '--name', 'Kim', '--json']);
  expect(sale.code).toBe(0);
  order = sale.json.code;
  ticket = sale.json.tickets[0].code;
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tickets pdf', () => {
  it("writes an order's PDF and says how to print or email it", async () => {
    const io = bufferIO();
    const file = path.join(dir, 'kim.pdf');
    await runTicketsPdf(io, sessionOf(core), order, { output: file, layout: 'a4' });
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(io.err()).toBe(`Wrote 2 tickets (1 page, a4) for order ${order} to ${file}\nPrint it: boxoffice tickets print ${order}  ·  email it: boxoffice tickets email ${order}\n`);
  });

  it('answers in JSON with --json, and refuses to replace a file without --force', async () => {
    const io = bufferIO();
    const file = path.join(dir, 'kim-json.pdf');
    await runTicketsPdf(io, sessionOf(core, { json: true }), order, { output: file, layout: 'stock' });
    expect(JSON.parse(io.out())).toMatchObject({ order, tickets: 2, layout: 'stock' });
    await expect(runTicketsPdf(bufferIO(), sessionOf(core), order, { output: file, layout: 'a4' })).rejects.toMatchObject({ code: 'already_exists' });
  });

  it('wants an order or an event, not both and not neither, and no PDF on a terminal', async () => {
    await expect(runTicketsPdf(bufferIO(), sessionOf(core), order, { event: 'Gala' })).rejects.toThrow('give an order or --event, not both');
    await expect(runTicketsPdf(bufferIO(), sessionOf(core), undefined, {})).rejects.toThrow('say which tickets');
    await expect(runTicketsPdf(bufferIO({ tty: true }), sessionOf(core), order, { output: '-' })).rejects.toThrow('not writing a PDF to the terminal');
  });
});

describe('tickets print', () => {
  it('hands the PDF to the print command the settings name', async () => {
    const io = bufferIO();
    const copy = path.join(dir, 'printed.pdf');
    await runTicketsPrint(io, sessionOf(core, { settings: { printCommand: `cp {file} ${copy}` } }), order, { layout: 'a4' });
    expect(fs.existsSync(copy)).toBe(true);
    expect(io.err()).toBe(`Sent 2 tickets of order ${order} to the default printer (cp)\n`);
  });
});

describe('tickets email', () => {
  it('queues the mail when no mail server is set, and says how to send it', async () => {
    const io = bufferIO();
    await runTicketsEmail(io, sessionOf(core), order, {});
    expect(io.err()).toContain(`Queued, not sent yet: tickets of order ${order} to kim@example.com`);
    expect(io.err()).toContain('Set a mail server (BOXOFFICE_SMTP_URL');
    const json = bufferIO();
    await runTicketsEmail(json, sessionOf(core, { json: true }), order, { to: 'ana@example.com', lang: 'pt' });
    expect(JSON.parse(json.out())).toMatchObject({ to: 'ana@example.com', status: 'queued', error: expect.stringContaining('no mail server') });
  });
});

describe('tickets show and reissue', () => {
  it("shows a ticket's details", async () => {
    const io = bufferIO();
    await runTicketsShow(io, sessionOf(core), ticket);
    expect(io.out()).toContain(ticket);
    expect(io.out()).toContain('Stalls, row A, seat 1');
    const json = bufferIO();
    await runTicketsShow(json, sessionOf(core, { json: true }), ticket);
    expect(JSON.parse(json.out())).toMatchObject({ code: ticket, status: 'valid', order });
  });

  it('voids a lost ticket and shows the new one', async () => {
    const io = bufferIO();
    await runTicketsReissue(io, sessionOf(core), ticket);
    expect(io.out()).toMatch(new RegExp(`^Reissued: ${ticket} is void; the new code is \\w+\\n`));
    expect(io.err()).toBe(`Give the holder the new ticket: boxoffice tickets pdf ${order}  ·  boxoffice tickets email ${order}\n`);
  });
});
