import type { Command } from 'commander';
import { BoxofficeError } from '../../../core/errors.js';
import { login, logout } from '../../../core/staff/sessions.js';
import { hasStaff } from '../../../core/staff/staff.js';
import { whoAmI } from '../../../app/whoami.js';
import path from 'node:path';
import { databasePath, globalOptions, storedSessionFor, withCore, type CommandDeps, type CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { oneLine, printJson, say } from '../../runtime/output.js';
import { examples } from '../../runtime/help.js';
import { askSecret, askText } from '../../runtime/prompt.js';
import { readConfig, updateConfig, type StoredSession } from '../../runtime/settings.js';

export interface LoginOptions {
  hours?: string;
}

/** `boxoffice login`: a session on this database, saved in the config file for later commands. */
export async function runLogin(io: IO, session: Pick<CoreSession, 'ctx' | 'global' | 'handle'>, nameArg: string | undefined, opts: LoginOptions): Promise<void> {
  const { ctx, global, handle } = session;
  if (!(await hasStaff(ctx.db))) {
    throw new BoxofficeError('invalid_state', 'no staff are defined, so boxoffice runs single-user: there is nobody to log in as', 'add an admin: boxoffice staff add NAME --role admin --pin PIN');
  }
  const hours = opts.hours === undefined ? undefined : Number(opts.hours);
  if (hours !== undefined && !(Number.isInteger(hours) && hours >= 1 && hours <= 24 * 7)) {
    throw new BoxofficeError('invalid_input', '--hours must be a whole number from 1 to 168');
  }
  const name = nameArg ?? io.env.BOXOFFICE_OPERATOR ?? (await askText(io, 'Name', 'give the name: boxoffice login NAME'));
  const pin = io.env.BOXOFFICE_PIN ?? (await askSecret(io, 'PIN', 'set BOXOFFICE_PIN (a PIN on the command line would show in process lists)'));
  const made = await login(ctx.db, name, pin, hours);
  await updateConfig(io.env, (c) => {
    c.sessions[made.database] = { token: made.token, operator: made.actor.name, expiresAt: made.expiresAt, file: handle.file };
  });
  if (global.json) return printJson(io, { operator: made.actor.name, role: made.actor.role, expiresAt: made.expiresAt });
  say(io, `Logged in as ${made.actor.name} (${made.actor.role}) until ${new Date(made.expiresAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}`);
}

/**
 * `boxoffice logout`: ends the session saved for this database (`open` runs work on it) and
 * forgets it; a session whose database is gone is forgotten all the same (`databaseFile`).
 */
export async function runLogout(io: IO, json: boolean, open: (work: (session: CoreSession) => Promise<void>) => Promise<void>, databaseFile: () => string): Promise<void> {
  let stored: StoredSession | undefined;
  let forget: string[] = [];
  await open(async ({ ctx, handle, config }) => {
    const found = await storedSessionFor(handle, config);
    if (!found) return;
    stored = found;
    forget = [found.database];
    await logout(ctx.db, found.token);
  }).catch((err) => {
    if (!(err instanceof BoxofficeError && err.code === 'database_missing')) throw err;
    // The local session is forgotten even when its database is gone.
    const file = databaseFile();
    const sessions = readConfig(io.env).sessions;
    forget = Object.keys(sessions).filter((key) => sessions[key].file === file);
    stored = forget.length ? sessions[forget[0]] : undefined;
  });
  if (forget.length) {
    await updateConfig(io.env, (c) => {
      for (const key of forget) delete c.sessions[key];
    });
  }
  if (json) return printJson(io, { loggedOut: Boolean(stored), operator: stored?.operator ?? null });
  say(io, stored ? `Logged out ${stored.operator}` : 'Nobody was logged in');
}

const VIA = { environment: 'environment', 'single-user': 'single-user (no staff defined)', session: 'login session' } as const;

/** `boxoffice whoami`: who commands act as, and how; a rehearsal database and a moved clock said. */
export async function runWhoami(io: IO, session: Pick<CoreSession, 'ctx' | 'global' | 'handle' | 'config'>): Promise<void> {
  const { ctx, handle, config, global } = session;
  const stored = await storedSessionFor(handle, config);
  const identity = await whoAmI(ctx, { operator: io.env.BOXOFFICE_OPERATOR, pin: io.env.BOXOFFICE_PIN, sessionToken: stored?.token });
  if (!identity) throw new BoxofficeError('not_authenticated', 'not logged in', 'boxoffice login');
  const who = { ...identity, via: VIA[identity.via] };
  if (global.json) return printJson(io, who);
  const notes = [who.rehearsal ? 'rehearsal database' : '', who.clockMoved ? `clock moved to ${who.clock}` : ''].filter(Boolean);
  io.stdout.write(
    `${oneLine(who.operator ?? 'single-user')}${who.role ? ` (${who.role})` : ''} · ${who.via}${who.expiresAt ? ` until ${who.expiresAt}` : ''}${notes.map((n) => ` · ${n}`).join('')}\n`,
  );
}

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
    .action(async (nameArg: string | undefined, opts: LoginOptions, cmd: Command) => withCore(deps, cmd, (session) => runLogin(io, session, nameArg, opts), { authenticate: false }));

  program
    .command('logout')
    .description('end your login session on this database')
    .addHelpText('after', examples('boxoffice logout', 'boxoffice --db other.db logout'))
    .action(async (_opts: unknown, cmd: Command) =>
      runLogout(
        io,
        Boolean(cmd.optsWithGlobals().json),
        (work) => withCore(deps, cmd, work, { authenticate: false }),
        () => path.resolve(databasePath(globalOptions(cmd), io.env)),
      ),
    );

  program
    .command('whoami')
    .description('who commands act as, and how; whether this is a rehearsal database and the clock is moved')
    .addHelpText('after', examples('boxoffice whoami', 'boxoffice whoami --json', 'BOXOFFICE_NOW=2027-03-01T19:30:00Z boxoffice whoami   # on a rehearsal database: the moved clock'))
    .action(async (_opts: unknown, cmd: Command) => withCore(deps, cmd, (session) => runWhoami(io, session), { authenticate: false }));
}
