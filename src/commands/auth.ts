import type { Command } from 'commander';
import { BoxofficeError } from '../core/errors.js';
import { login, logout, actorFromSession } from '../core/staff/sessions.js';
import { hasStaff } from '../core/staff/staff.js';
import path from 'node:path';
import { databasePath, globalOptions, storedSessionFor, withCore, type CommandDeps } from './context.js';
import { printJson, say } from './output.js';
import { examples } from './program.js';
import { askSecret, askText } from './prompt.js';
import { readConfig, updateConfig, type StoredSession } from './settings.js';

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
        'BOXOFFICE_PIN=4821 boxoffice login Ana',
        'boxoffice --db other.db login Rui   # a login belongs to one database; others keep theirs',
        'boxoffice whoami',
        'boxoffice logout',
      ) +
        '\nA few wrong PINs in a row make the next attempt wait (15 s, then doubling); 10 lock the\nmember until a manager unlocks them: boxoffice staff unlock NAME.\n',
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
          const session = await login(ctx.db, ctx.clock, name, pin, hours);
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
        async ({ ctx, config }) => {
          const found = await storedSessionFor(ctx.db, config);
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
    .description('who commands act as, and how')
    .addHelpText('after', examples('boxoffice whoami', 'boxoffice whoami --json'))
    .action(async (_opts: unknown, cmd: Command) =>
      withCore(
        deps,
        cmd,
        async ({ ctx, config, global }) => {
          let who: { operator: string | null; role: string | null; via: string; expiresAt?: string };
          const stored = await storedSessionFor(ctx.db, config);
          const session = stored && (await actorFromSession(ctx.db, stored.token, ctx.clock.now()));
          if (io.env.BOXOFFICE_OPERATOR) {
            const { authenticate } = await import('../core/staff/staff.js');
            const actor = await authenticate(ctx.db, io.env.BOXOFFICE_OPERATOR, io.env.BOXOFFICE_PIN);
            who = { operator: actor.name, role: actor.role, via: 'environment' };
          } else if (!(await hasStaff(ctx.db))) {
            who = { operator: null, role: 'admin', via: 'single-user (no staff defined)' };
          } else if (session) {
            who = { operator: session.name, role: session.role, via: 'login session', expiresAt: session.expiresAt };
          } else {
            throw new BoxofficeError('not_authenticated', 'not logged in', 'boxoffice login');
          }
          if (global.json) return printJson(io, who);
          io.stdout.write(`${who.operator ?? 'single-user'}${who.role ? ` (${who.role})` : ''} · ${who.via}${who.expiresAt ? ` until ${who.expiresAt}` : ''}\n`);
        },
        { authenticate: false },
      ),
    );
}
