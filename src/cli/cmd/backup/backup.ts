import type { Command } from 'commander';
import { BoxofficeError } from '../../../core/errors.js';
import { requireRole } from '../../../core/staff/permissions.js';
import { writeOutputFile } from '../../../core/output-file.js';
import { copyDatabase } from '../../../app/backup.js';
import { withCore, type CommandDeps } from '../../runtime/context.js';
import { printJson, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { outputFileHelp } from '../../runtime/file-help.js';

export async function runBackup(io: IO, { handle, ctx, global }: Pick<CoreSession, 'handle' | 'ctx' | 'global'>, file: string, opts: { force?: boolean }) {
  requireRole(ctx.actor, 'backup');
  // Checked before anything is written: no empty file is left behind on PostgreSQL.
  if (handle.dialect.name !== 'sqlite') {
    throw new BoxofficeError('unsupported', `boxoffice backup copies a SQLite file; ${handle.file} is a PostgreSQL database`, 'back it up with pg_dump, e.g. pg_dump -Fc -f box.dump "$BOXOFFICE_DB"');
  }
  const written = await writeOutputFile(file, { force: opts.force }, async (temp) => {
    const integrity = await copyDatabase(handle, temp);
    // A bad copy is thrown away: FILE keeps what it had.
    if (integrity !== 'ok') throw new Error(`the copy failed its integrity check (${integrity}); ${file} was not changed`);
    return integrity;
  });
  const result = { file: written.file, bytes: written.bytes, integrity: written.result };
  if (global.json) return printJson(io, result);
  say(io, `Backed up to ${result.file} (${Math.round(result.bytes / 1024)} KiB, integrity ok)`);
}

export function registerBackup(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('backup <file>')
    .description('copy the database while it is in use (SQLite online backup), check the copy, then put it in place')
    .option('--force', 'replace the file if it exists (the old one stays whole until the new copy is good)')
    .addHelpText(
      'after',
      `${examples('boxoffice backup /mnt/usb/box-$(date +%F).db', 'boxoffice backup nightly.db --force --json')}${outputFileHelp('The copy')}The copy is checked (SQLite's integrity check) before it is renamed into place.
`,
    )
    .action(async (file: string, opts: { force?: boolean }, cmd: Command) => withCore(deps, cmd, (session) => runBackup(io, session, file, opts)));
}
