// The TUI in a real terminal: tmux runs `boxoffice ui` on a demo database; a sale of two seats
// is made with keystrokes alone and is then in the database as a paid order; door mode admits
// one of its tickets and refuses the second scan; another process's sale appears on the open
// map; colours follow NO_COLOR; bare `boxoffice` opens the TUI; a resize redraws.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `boxoffice-tui-${process.pid}-${randomBytes(3).toString('hex')}`;
const box = sandbox();

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

/** Starts `command` in a new fixed-size session whose pane stays readable after it exits. */
function start(session: string, command: string, env: Record<string, string> = {}) {
  const vars = { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db, LANG: 'C.UTF-8', ...env };
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]), `${command}; echo "EXIT=$?"; sleep 600`);
}

const screen = (session: string, escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);

async function waitFor(session: string, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen(session);
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)} in tmux; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends keys one tmux call at a time, as a person types. */
async function keys(session: string, ...list: string[]) {
  for (const k of list) {
    tmux('send-keys', '-t', session, k);
    await new Promise((r) => setTimeout(r, 60));
  }
}

/**
 * Reads the QR code drawn on the screen the way a phone would: the half-block characters become
 * pixels (qrcode-terminal draws light modules as blocks, for dark terminals), and zbarimg decodes
 * the picture.
 */
function decodeScreenQr(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => /[▄▀█][▄▀█ ]{15,}[▄▀█]/.exec(l)?.[0])
    .filter((l): l is string => l !== undefined);
  const width = Math.max(...lines.map((l) => [...l].length));
  const rows: number[][] = [];
  for (const line of lines) {
    const chars = [...line.padEnd(width)];
    rows.push(chars.map((c) => (c === '█' || c === '▀' ? 0 : 1)));
    rows.push(chars.map((c) => (c === '█' || c === '▄' ? 0 : 1)));
  }
  const scale = 6;
  const pad = 8;
  const out: string[] = [];
  for (let y = 0; y < (rows.length + 2 * pad) * scale; y++) {
    const ry = Math.floor(y / scale) - pad;
    const bits: number[] = [];
    for (let x = 0; x < (width + 2 * pad) * scale; x++) {
      const rx = Math.floor(x / scale) - pad;
      bits.push(ry >= 0 && ry < rows.length && rx >= 0 && rx < width ? rows[ry][rx] : 0);
    }
    out.push(bits.join(' '));
  }
  const file = path.join(box.dir, 'screen-qr.pbm');
  fs.writeFileSync(file, `P1\n${(width + 2 * pad) * scale} ${(rows.length + 2 * pad) * scale}\n${out.join('\n')}\n`);
  const r = spawnSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' });
  return r.stdout.trim();
}

const cli = (args: string[]) => {
  const r = box.run(args);
  if (r.code !== 0) throw new Error(`boxoffice ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
};

describe.skipIf(!hasTmux)('the TUI in a real terminal (tmux)', () => {
  beforeAll(() => {
    cli(['init', '--demo']);
  });
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    box.cleanup();
  });

  it('sells two seats with keystrokes alone, then admits one ticket at the door once', async () => {
    start('sale', `node ${BIN} ui`);
    let s = await waitFor('sale', 'Hamlet');
    expect(s).toContain('Riverside Theatre');
    expect(s).toContain('single-user (admin)');
    await keys('sale', 'Enter');
    s = await waitFor('sale', 'STAGE');
    expect(s).toContain('[Stalls 240 free]');
    await keys('sale', 'Space', 'Right', 'Space');
    await waitFor('sale', 'Picked (2): Stalls:A-11, Stalls:A-12');
    await keys('sale', 'Enter');
    s = await waitFor('sale', 'held for this sale');
    expect(s).toMatch(/Total \(2 tickets\)\s+€50.00/);
    await keys('sale', 'Down', 't');
    await waitFor('sale', /Stalls:A-12\s+‹ Child ›\s+€12.50/);
    await keys('sale', 'Enter');
    await waitFor('sale', 'take payment');
    await keys('sale', '5', '0');
    await waitFor('sale', '€12.50');
    await keys('sale', 'Enter');
    s = await waitFor('sale', '✔ PAID');
    expect(s).toContain('cash · tendered €50.00 · change €12.50');
    s = await waitFor('sale', 'Stalls:A-11 · first ticket');
    expect(s).toMatch(/[▄▀█]{20,}/);

    const orders = JSON.parse(cli(['order', 'list', '--json']).stdout) as { code: string; status: string; total: number; tickets: number }[];
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'paid', total: 3750, tickets: 2 });
    const order = JSON.parse(cli(['order', 'show', orders[0].code, '--json']).stdout);
    expect(order.channel).toBe('tui');
    expect(order.tickets.map((t: { seat: string; tier: string }) => `${t.seat} ${t.tier}`)).toEqual(['Stalls:A-11 Adult', 'Stalls:A-12 Child']);
    expect(order.payments).toMatchObject([{ method: 'cash', amount: 3750, tendered: 5000, change: 1250 }]);
    expect(s).toContain(orders[0].code);
    // The QR on the receipt scans as the first ticket's code.
    if (spawnSync('zbarimg', ['--version']).status === 0) expect(decodeScreenQr(s)).toBe(order.tickets[0].code);

    // Door mode on the same terminal.
    await keys('sale', 'Escape');
    await waitFor('sale', /sold\s+2/);
    await keys('sale', 'C-d');
    await waitFor('sale', 'Which gate is this?');
    await keys('sale', 'BSpace', '2', 'Enter');
    await waitFor('sale', 'Gate 2');
    const ticket = order.tickets[0].code as string;
    tmux('send-keys', '-t', 'sale', '-l', ticket);
    await keys('sale', 'Enter');
    s = await waitFor('sale', 'A D M I T T E D');
    expect(s).toContain(`Stalls:A-11 · Adult · order ${orders[0].code}`);
    tmux('send-keys', '-t', 'sale', '-l', ticket);
    await keys('sale', 'Enter');
    s = await waitFor('sale', 'A L R E A D Y   U S E D');
    expect(s).toMatch(/already used at \d\d:\d\d gate 2/);
    expect(s).toContain('Admitted 1 — gate 2: 1');
    const scan = spawnSync(process.execPath, [BIN, 'checkin', ticket], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db } });
    expect(scan.status).toBe(4);

    // Another process sells while the map is open: the seat turns sold without a key.
    await keys('sale', 'Escape');
    await waitFor('sale', 'Hamlet');
    await keys('sale', 'Enter');
    s = await waitFor('sale', 'STAGE');
    const rowA = () =>
      screen('sale')
        .split('\n')
        .find((l) => /^A [○●◐✕▸◆ ]/.test(l)) ?? '';
    expect([...rowA()][2]).toBe('○');
    cli(['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
    await waitFor('sale', '[Stalls 237 free]', 15_000);
    expect([...rowA()][2]).toBe('●');

    // ctrl+c quits cleanly.
    await keys('sale', 'C-c');
    await waitFor('sale', 'EXIT=0');
  });

  it('honours NO_COLOR: symbols only, no colour codes; colour otherwise', async () => {
    start('plain', `node ${BIN} ui`, { NO_COLOR: '1' });
    start('flag', `node ${BIN} --no-color ui`);
    start('colour', `node ${BIN} ui`, { TERM: 'xterm-256color' });
    for (const session of ['plain', 'flag', 'colour']) {
      await waitFor(session, 'Hamlet');
      await keys(session, 'Enter');
      await waitFor(session, 'STAGE');
    }
    // SGR foreground colours: 30–37, 90–97, 38;5;n / 38;2;r;g;b.
    const colour = /\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]/;
    const plain = screen('plain', true);
    expect(plain).toContain('○');
    expect(plain).not.toMatch(colour);
    expect(screen('flag', true)).toContain('○');
    expect(screen('flag', true)).not.toMatch(colour);
    expect(screen('colour', true)).toMatch(colour);
    for (const session of ['plain', 'flag', 'colour']) await keys(session, 'C-c');
    await waitFor('plain', 'EXIT=0');
  });

  it('a closed terminal releases the hold it had', async () => {
    start('hangup', `node ${BIN} ui`);
    await waitFor('hangup', 'Hamlet');
    await keys('hangup', 'Enter');
    await waitFor('hangup', 'STAGE');
    await keys('hangup', 'Tab', 'b', '2', 'Enter');
    await waitFor('hangup', 'held for this sale');
    const held = (JSON.parse(cli(['order', 'list', '--json']).stdout) as { code: string; status: string }[]).filter((o) => o.status === 'pending');
    expect(held).toHaveLength(1);
    // Killing the session hangs up the terminal (SIGHUP), as closing its window would.
    tmux('kill-session', '-t', 'hangup');
    const deadline = Date.now() + 10_000;
    let status = 'pending';
    while (status === 'pending' && Date.now() < deadline) {
      status = JSON.parse(cli(['order', 'show', held[0].code, '--json']).stdout).status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('cancelled');
  });

  it('bare `boxoffice` on a terminal opens the TUI, and a resize redraws it to the new size', async () => {
    start('bare', `node ${BIN}`);
    await waitFor('bare', 'Hamlet');
    await keys('bare', 'Enter');
    await waitFor('bare', 'STAGE');
    tmux('resize-window', '-t', 'bare', '-x', '70', '-y', '30');
    // Redrawn for 70 × 30: the header on the first line, the legend at the foot, nothing wider.
    const s = await waitFor('bare', /^boxoffice · sell · Ham[^\n]*\n\[Stalls[\s\S]*ctrl\+c quit\n*$/);
    const lines = s.split('\n');
    expect(lines.every((l) => [...l].length <= 70)).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(31);
    expect(s).toContain('──────── STAGE ────────');
    await keys('bare', 'C-c');
    await waitFor('bare', 'EXIT=0');
  });
});
