// Every command teaches itself: `--help` on any command shows examples.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../src/cli/runtime/io.js';
import { buildProgram, runCli } from '../src/cli/program.js';

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((sub) => {
    const here = [...prefix, sub.name()];
    return [here, ...paths(sub, here)];
  });
}

const all = paths(await buildProgram({ io: bufferIO() }));

describe('help', () => {
  // The command contract (SPEC): a command that disappears, or one added without being listed
  // here (and so without its help being looked at), fails this test.
  it('covers the whole command tree', () => {
    expect(all.map((p) => p.join(' '))).toEqual([
      'init',
      'venue',
      'venue add',
      'venue list',
      'venue show',
      'venue seatmap',
      'venue seatmap generate',
      'venue seatmap import',
      'event',
      'event add',
      'event list',
      'event show',
      'event publish',
      'event price',
      'event cancel',
      'seats',
      'seats block',
      'seats release',
      'hold',
      'sell',
      'order',
      'order show',
      'order list',
      'order find',
      'order pay',
      'order cancel',
      'order refund',
      'expire',
      'checkin',
      'staff',
      'staff add',
      'staff list',
      'staff disable',
      'staff unlock',
      'staff pin',
      'customer',
      'customer list',
      'customer show',
      'lead',
      'lead add',
      'lead list',
      'login',
      'logout',
      'whoami',
      'log',
      'backup',
      'config',
      'config list',
      'config get',
      'config set',
      'config unset',
      'config path',
      'completion',
      'tickets',
      'tickets pdf',
      'tickets print',
      'tickets email',
      'tickets show',
      'tickets reissue',
      'mail',
      'mail list',
      'mail retry',
      'import',
      'export',
      'sync',
      'sync export',
      'sync status',
      'report',
      'report sales',
      'report cashup',
      'report zreports',
      'report leads',
      'ui',
    ]);
  });

  it.each(all.map((p) => [p.join(' '), p]))('boxoffice %s --help shows examples and exits 0', async (_name, path) => {
    const io = bufferIO();
    const code = await runCli([...(path as string[]), '--help'], io);
    expect(code).toBe(0);
    expect(io.out()).toContain('Examples:');
    const examples = io.out().split('Examples:')[1];
    expect(examples).toMatch(/^ {2}.*boxoffice \S/m);
  });

  // Golden copies (test/golden/help/): a change to any command's help shows up in review as a
  // change to these files. Regenerate deliberately with `npx vitest run test/cli-help.test.ts -u`.
  it.each([[''], ...all.map((p) => [p.join(' ')])])('boxoffice %s --help reads as recorded', async (name) => {
    const io = bufferIO();
    expect(await runCli([...(name ? name.split(' ') : []), '--help'], io)).toBe(0);
    await expect(io.out()).toMatchFileSnapshot(`golden/help/${name ? name.replaceAll(' ', '-') : 'boxoffice'}.txt`);
  });
});
