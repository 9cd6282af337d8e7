import fs from 'node:fs';
import type { Command } from 'commander';
import { BoxofficeError, invalid } from '../core/errors.js';
import { requireRole } from '../core/staff/permissions.js';
import { BackupTargetError, backupDatabase } from '../db/backup.js';
import { withCore, type CommandDeps } from './context.js';
import { printJson, say } from './output.js';
import { examples } from './program.js';

export function registerBackup(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  program
    .command('backup <file>')
    .description('copy the database while it is in use (SQLite online backup), then check the copy')
    .option('--force', 'overwrite the file if it exists')
    .addHelpText('after', examples('boxoffice backup /mnt/usb/box-$(date +%F).db', 'boxoffice backup nightly.db --force --json'))
    .action(async (file: string, opts: { force?: boolean }, cmd: Command) =>
      withCore(deps, cmd, async ({ ctx, handle, global }) => {
        requireRole(ctx.actor, 'backup');
        if (fs.existsSync(file) && !opts.force) throw new BoxofficeError('already_exists', `${file} already exists`, 'choose another name, or add --force to overwrite it');
        const result = await backupDatabase(handle, file).catch((err: unknown) => {
          throw err instanceof BackupTargetError ? invalid(err.message, 'mount or create it first') : err;
        });
        if (result.integrity !== 'ok') throw new Error(`the backup at ${result.file} failed its integrity check: ${result.integrity}`);
        if (global.json) return printJson(io, result);
        say(io, `Backed up to ${result.file} (${Math.round(result.bytes / 1024)} KiB, integrity ok)`);
      }),
    );
}
