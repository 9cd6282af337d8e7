// `boxoffice ui` run in-process: refused without a terminal; on a (pretend) terminal the TUI opens
// on the events, Ctrl-C closes it with 0 and a kill with 143, its code ending the command.
import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO, type IO } from '../../src/cli/runtime/io.js';
import { checkUiTerminal, runUi } from '../../src/cli/cmd/ui/ui.js';
import { openCore, seedGala, type CoreFixture } from '../helpers/core.js';
import { sessionOf } from '../helpers/session.js';

let core: CoreFixture;
beforeAll(async () => {
  // The TUI patches the console (Ink's patchConsole), which needs what Node's console has.
  (console as unknown as { Console?: typeof Console }).Console ??= Console;
  core = await openCore();
  await seedGala(core.ctx);
});
afterAll(() => core.close());

/** A terminal in memory: keys written to `keys`, the screen read from `screen()`. */
function terminalIO(): IO & { keys: PassThrough; screen(): string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });
  const chunks: string[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 110, rows: 32 });
  stdout.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { ...bufferIO({ tty: true }), stdin, stdout, canPrompt: true, keys: stdin, screen: () => chunks.join('') };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('ui', () => {
  it('needs a terminal', () => {
    expect(() => checkUiTerminal(bufferIO())).toThrow('boxoffice ui needs a terminal (stdin and stdout must be a TTY)');
    expect(() => checkUiTerminal(terminalIO())).not.toThrow();
  });

  it('opens on the events; Ctrl-C quits with 0', async () => {
    const io = terminalIO();
    const running = runUi(io, sessionOf(core), {});
    await until(() => io.screen().includes('Gala'));
    io.keys.write('\u0003');
    expect(await running).toBe(0);
  });

  it('a kill closes it with 143', async () => {
    const io = terminalIO();
    const running = runUi(io, sessionOf(core), {});
    await until(() => io.screen().includes('Gala'));
    process.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(143);
  });
});
