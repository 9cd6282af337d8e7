import type { Command } from 'commander';
import { addStaff, disableStaff, listStaff, resetPin, unlockStaff } from '../../../core/staff/staff.js';
import { askSecret } from '../../runtime/prompt.js';
import type { IO } from '../../runtime/io.js';
import { withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import { printJson, printTable, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';

export async function runStaffAdd(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, name: string, opts: { role: string; pin: string }) {
  const member = await addStaff(ctx, { name, role: opts.role, pin: opts.pin });
  if (global.json) return printJson(io, member);
  say(io, `Added ${member.name} (${member.role}).`);
  if (ctx.actor.staffId === null) {
    say(io, `Staff now exist, so every command needs an operator: boxoffice login ${member.name} (scripts: BOXOFFICE_OPERATOR and BOXOFFICE_PIN)`);
  }
}

export async function runStaffList(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>) {
  const members = await listStaff(ctx);
  if (global.json) return printJson(io, members);
  printTable(io, members, [
    { header: 'id', value: (s) => s.id, align: 'right' },
    { header: 'name', value: (s) => s.name },
    { header: 'role', value: (s) => s.role },
    { header: 'disabled', value: (s) => (s.disabled ? 'yes' : '') },
    { header: 'locked', value: (s) => (s.locked ? 'yes' : '') },
  ]);
}

export async function runStaffDisable(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const member = await disableStaff(ctx, ref);
  if (global.json) return printJson(io, member);
  say(io, `Disabled ${member.name}`);
}

export async function runStaffUnlock(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string) {
  const member = await unlockStaff(ctx, ref);
  if (global.json) return printJson(io, member);
  say(io, `${member.name} may log in again`);
}

export async function runStaffPin(io: IO, { ctx, global }: Pick<CoreSession, 'ctx' | 'global'>, ref: string, opts: { pin?: string }) {
  const pin = opts.pin ?? io.env.BOXOFFICE_NEW_PIN ?? (await askSecret(io, 'New PIN', 'set BOXOFFICE_NEW_PIN or give --pin'));
  const member = await resetPin(ctx, ref, pin);
  if (global.json) return printJson(io, member);
  say(io, `New PIN set for ${member.name}`);
}

export function registerStaff(program: Command, deps: CommandDeps): void {
  const { io } = deps;
  const staff = program
    .command('staff')
    .description('staff members and their roles (admin, manager, clerk, door)')
    .addHelpText('after', examples('boxoffice staff add Ana --role admin --pin 4821', 'boxoffice staff list', 'boxoffice staff unlock Rui', 'boxoffice staff disable Rui'));

  staff
    .command('add <name>')
    .description('add a staff member; the first must be an admin, and from then on every command needs an operator')
    .requiredOption('--role <role>', 'admin, manager, clerk or door')
    .requiredOption('--pin <pin>', '4 to 12 digits (stored only as a scrypt hash)')
    .addHelpText('after', examples('boxoffice staff add Ana --role admin --pin 4821', 'BOXOFFICE_OPERATOR=Ana BOXOFFICE_PIN=4821 boxoffice staff add Rui --role clerk --pin 1357'))
    .action(async (name: string, opts: { role: string; pin: string }, cmd: Command) => withCore(deps, cmd, (session) => runStaffAdd(io, session, name, opts)));

  staff
    .command('list')
    .description('list staff members')
    .addHelpText('after', examples('boxoffice staff list', 'boxoffice staff list --json'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runStaffList(io, session)));

  staff
    .command('disable <name>')
    .description('disable a staff member (admin): their PIN stops working and their sessions end')
    .addHelpText('after', examples('boxoffice staff disable Rui'))
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runStaffDisable(io, session, ref)));

  staff
    .command('unlock <name>')
    .description('let a member locked out by wrong PINs try again (a manager; an admin for an admin)')
    .addHelpText(
      'after',
      examples('boxoffice staff unlock Rui', 'boxoffice staff list            # the locked column shows who is locked') +
        '\nThree wrong PINs in a row make each further attempt wait (15 s, then doubling); ten lock the\nmember. Unlocking clears the count; `staff pin` (a new PIN) does too.\n',
    )
    .action(async (ref: string, _opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runStaffUnlock(io, session, ref)));

  staff
    .command('pin <name>')
    .description("reset a staff member's PIN (admin, or anyone for their own); their sessions end and a lock after wrong PINs is lifted")
    .option('--pin <pin>', 'the new PIN (else asked for, hidden; or BOXOFFICE_NEW_PIN)')
    .addHelpText('after', examples('boxoffice staff pin Rui            # asks for the new PIN', 'BOXOFFICE_NEW_PIN=2468 boxoffice staff pin Rui'))
    .action(async (ref: string, opts: { pin?: string }, cmd: Command) => withCore(deps, cmd, (session) => runStaffPin(io, session, ref, opts)));
}
