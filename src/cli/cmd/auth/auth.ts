import type { Command } from 'commander';
import { BoxofficeError } from '../../../core/errors.js';
import { login, logout, actorFromSession } from '../../../core/staff/sessions.js';
import { hasStaff } from '../../../core/staff/staff.js';
import { MovedClock } from '../../../core/clock.js';
import { rehearsalMark } from '../../../core/rehearsal.js';
import path from 'node:path';
import { databasePath, globalOptions, storedSessionFor, withCore, type CommandDeps } from '../../runtime/context.js';
import { oneLine, printJson, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { askSecret, askText } from '../../runtime/prompt.js';
import { readConfig, updateConfig, type StoredSession } from '../../runtime/settings.js';

export function registerAuth(program: Command, deps: CommandDeps): void {
  const { io } = deps;

  program
    .command('login [name]')
    .description('log in as a staff member on this database; later commands on it act as you until you log out or the session ends')
    .option('--hours <h>', 'how long the session lasts (default 12)')
    .addHelpText(
      'after',
      examples(
        'boxoffice login Ana              # asks for the PIN',
        'BOXOFFICE_PIN=4821 boxoffice login Ana --hours 8',
        'boxoffice --db other.db login Rui   # a login belongs to one database; others keep theirs',
        'boxoffice whoami',
        'boxoffice logout',
      ) +
        '\nA session lasts real hours (at most 168): BOXOFFICE_NOW never moves it.\n' +
        'A few wrong PINs in a row make the next attempt wait (15 s, then doubling); 10 lock the\nmember until a manager unlocks them: boxoffice staff unlock NAME.\n',
    )
    .action(async (nameArg: string | undefined, opts: { hours?: string }, cmd: Command) =>
      withCore(
        deps,
        cmd,
        async ({ ctx, global, handle }) => {
          if (!(await hasStaff(ctx.db))) {
            throw new BoxofficeError('invalid_state', 'no staff are defined, so boxoffice runs single-user: there is nobody to log in as', 'add an admin: boxoffice staff add NAME --role admin --pin PIN');
          }
          const hours = opts.hours === undefined ? undefined : Number(opts.hours);
          if (hours !== undefined && !(Number.isInteger(hours) && hours >= 1 && hours <= 24 * 7)) {
            throw new BoxofficeError('invalid_input', '--hours must be a whole number from 1 to 168');
          }
          const name = nameArg ?? io.env.BOXOFFICE_OPERATOR ?? (await askText(io, 'Name', 'give the name: boxoffice login NAME'));
          const pin = io.env.BOXOFFICE_PIN ?? (await askSecret(io, 'PIN', 'set BOXOFFICE_PIN (a PIN on the command line would show in process lists)'));
          const session = await login(ctx.db, name, pin, hours);
          await updateConfig(io.env, (c) => {
            c.sessions[session.database] = { token: session.token, operator: session.actor.name, expiresAt: session.expiresAt, file: handle.file };
          });
          if (global.json) return printJson(io, { operator: session.actor.name, role: session.actor.role, expiresAt: session.expiresAt });
          say(io, `Logged in as ${session.actor.name} (${session.actor.role}) until ${new Date(session.expiresAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`);
        },
        { authenticate: false },
      ),
    );

  program
    .command('logout')
    .description('end your login session on this database')
    .addHelpText('after', examples('boxoffice logout', 'boxoffice --db other.db logout'))
    .action(async (_opts: unknown, cmd: Command) => {
      let stored: StoredSession | undefined;
      let forget: string[] = [];
      await withCore(
        deps,
        cmd,
        async ({ ctx, handle, config }) => {
          const found = await storedSessionFor(handle, config);
          if (!found) return;
          stored = found;
          forget = [found.database];
          await logout(ctx.db, found.token);
        },
        { authenticate: false },
      ).catch((err) => {
        if (!(err instanceof BoxofficeError && err.code === 'database_missing')) throw err;
        // The local session is forgotten even when its database is gone.
        const file = path.resolve(databasePath(globalOptions(cmd), io.env));
        const sessions = readConfig(io.env).sessions;
        forget = Object.keys(sessions).filter((key) => sessions[key].file === file);
        stored = forget.length ? sessions[forget[0]] : undefined;
      });
      if (forget.length) {
        await updateConfig(io.env, (c) => {
          for (const key of forget) delete c.sessions[key];
        });
      }
      if (cmd.optsWithGlobals().json) return printJson(io, { loggedOut: Boolean(stored), operator: stored?.operator ?? null });
      say(io, stored ? `Logged out ${stored.operator}` : 'Nobody was logged in');
    });

  program
    .command('whoami')
    .description('who commands act as, and how; whether this is a rehearsal database and the clock is moved')
    .addHelpText('after', examples('boxoffice whoami', 'boxoffice whoami --json', 'BOXOFFICE_NOW=2027-03-01T19:30:00Z boxoffice whoami   # on a rehearsal database: the moved clock'))
    .action(async (_opts: unknown, cmd: Command) =>
      withCore(
        deps,
        cmd,
        async ({ ctx, handle, config, global }) => {
          let who: { operator: string | null; role: string | null; via: string; expiresAt?: string };
          const stored = await storedSessionFor(handle, config);
          const session = stored && (await actorFromSession(ctx.db, stored.token));
          if (io.env.BOXOFFICE_OPERATOR) {
            const { authenticate } = await import('../../../core/staff/staff.js');
            const actor = await authenticate(ctx.db, io.env.BOXOFFICE_OPERATOR, io.env.BOXOFFICE_PIN);
            who = { operator: actor.name, role: actor.role, via: 'environment' };
          } else if (!(await hasStaff(ctx.db))) {
            who = { operator: null, role: 'admin', via: 'single-user (no staff defined)' };
          } else if (session) {
            who = { operator: session.name, role: session.role, via: 'login session', expiresAt: session.expiresAt };
          } else {
            throw new BoxofficeError('not_authenticated', 'not logged in', 'boxoffice login');
          }
          // Whether this database lets BOXOFFICE_NOW move the clock, and whether it is moved now.
          const rehearsal = (await rehearsalMark(ctx.db)) !== null;
          const clockMoved = ctx.clock instanceof MovedClock;
          const clock = ctx.clock.now().toISOString();
          if (global.json) return printJson(io, { ...who, rehearsal, clock, clockMoved });
          const notes = [rehearsal ? 'rehearsal database' : '', clockMoved ? `clock moved to ${clock}` : ''].filter(Boolean);
          io.stdout.write(`${oneLine(who.operator ?? 'single-user')}${who.role ? ` (${who.role})` : ''} · ${who.via}${who.expiresAt ? ` until ${who.expiresAt}` : ''}${notes.map((n) => ` · ${n}`).join('')}\n`);
        },
        { authenticate: false },
      ),
    );
}
