// Shell completion scripts, generated from the command tree itself so they never fall behind.
import type { Command } from 'commander';
import { invalid } from '../../../core/errors.js';
import type { CommandDeps } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { examples } from '../../runtime/help.js';

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
}

function walk(cmd: Command, path: string[], out: Node[]): void {
  const options = cmd.options.map((o) => o.long).filter((o): o is string => Boolean(o));
  out.push({ path, subcommands: cmd.commands.map((c) => c.name()), options: [...options, '--help'] });
  for (const sub of cmd.commands) walk(sub, [...path, sub.name()], out);
}

function bashCompletion(program: Command): string {
  const nodes: Node[] = [];
  walk(program, [], nodes);
  const globals = program.options
    .map((o) => o.long)
    .filter(Boolean)
    .join(' ');
  const cases = nodes.map((n) => `    "${n.path.join(' ')}") words="${[...n.subcommands, ...n.options].join(' ')}" ;;`).join('\n');
  return `# bash completion for boxoffice: eval "$(boxoffice completion bash)"
_boxoffice() {
  local cur path="" w i words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case " $(_boxoffice_subs "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words ${globals}" -- "$cur") )
}
_boxoffice_subs() {
  case "$1" in
${nodes.map((n) => `    "${n.path.join(' ')}") echo "${n.subcommands.join(' ')}" ;;`).join('\n')}
  esac
}
complete -o default -F _boxoffice boxoffice
`;
}

function zshCompletion(program: Command): string {
  return `#compdef boxoffice
# zsh completion for boxoffice: eval "$(boxoffice completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

export function registerCompletion(program: Command, deps: CommandDeps): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script (bash or zsh)')
    .addHelpText('after', examples('eval "$(boxoffice completion bash)"     # in ~/.bashrc', 'eval "$(boxoffice completion zsh)"      # in ~/.zshrc'))
    .action((shell: string) => runCompletion(deps.io, program, shell));
}

/** Prints the completion script of `shell` for the command tree `program`. */
export function runCompletion(io: IO, program: Command, shell: string): void {
  if (shell === 'bash') io.stdout.write(bashCompletion(program));
  else if (shell === 'zsh') io.stdout.write(zshCompletion(program));
  else throw invalid(`no completion for ${JSON.stringify(shell)}`, 'use bash or zsh');
}
