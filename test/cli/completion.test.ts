// `boxoffice completion` run in-process: its run function with a buffered IO.
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/runtime/io.js';
import { runCompletion } from '../../src/cli/cmd/completion/completion.js';
import { buildProgram } from '../../src/cli/program.js';

describe('completion', () => {
  it('prints bash and zsh scripts, and refuses other shells', async () => {
    const io = bufferIO();
    const program = await buildProgram({ io });
    runCompletion(io, program, 'bash');
    expect(io.out()).toContain('complete -o default -F _boxoffice boxoffice');
    const zsh = bufferIO();
    runCompletion(zsh, program, 'zsh');
    expect(zsh.out().startsWith('#compdef boxoffice\n')).toBe(true);
    expect(() => runCompletion(bufferIO(), program, 'fish')).toThrow('no completion for "fish"');
  });
});
