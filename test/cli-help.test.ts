// Every command teaches itself: `--help` on any command shows examples.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../src/commands/io.js';
import { buildProgram, runCli } from '../src/commands/program.js';

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((sub) => {
    const here = [...prefix, sub.name()];
    return [here, ...paths(sub, here)];
  });
}

const all = paths(await buildProgram({ io: bufferIO() }));

describe('help', () => {
  it('covers the whole command tree', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.each(all.map((p) => [p.join(' '), p]))('boxoffice %s --help shows examples and exits 0', async (_name, path) => {
    const io = bufferIO();
    const code = await runCli([...(path as string[]), '--help'], io);
    expect(code).toBe(0);
    expect(io.out()).toContain('Examples:');
    const examples = io.out().split('Examples:')[1];
    expect(examples).toMatch(/^ {2}.*boxoffice \S/m);
  });
});
