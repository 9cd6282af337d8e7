// What every command does first: find and open the database, learn who is acting, set the clock.
import type { Command } from 'commander';
import { DatabaseMissingError, DatabasePermissionError, DatabaseUnreachableError, NotADatabaseError, openDatabase, type OpenDatabase } from '../../db/connection.js';
import { BoxofficeError } from '../../core/errors.js';
import { commandTarget, isPostgresUrl } from '../../db/target.js';
import { boxOfficeClock } from '../../core/rehearsal.js';
import type { CoreContext } from '../../core/context.js';
import { NOBODY, can, type Actor } from '../../core/staff/permissions.js';
import { say } from './output.js';
import { shellWord } from './shell-word.js';
import { protectFromOutput } from '../../core/output-file.js';
import { StopGuard } from './stop.js';
import { authenticate } from '../../core/staff/staff.js';
import { actorFromSession, sessionDatabase } from '../../core/staff/sessions.js';
import type { IO } from './io.js';
import { defaultDatabasePath } from './paths.js';
import { readConfig, resolveSetting, type ConfigFile, type SettingKey, type StoredSession } from './settings.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  color?: boolean;
}

export interface CommandDeps {
  io: IO;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** --db, else BOXOFFICE_DB, else the config file's `db`, else the user data directory. */
export function databasePath(global: GlobalOptions, env: NodeJS.ProcessEnv, config: ConfigFile = readConfig(env)): string {
  return resolveSetting('db', env, config, global.db).value ?? defaultDatabasePath(env);
}

export interface CoreSession {
  ctx: CoreContext;
  handle: OpenDatabase;
  global: GlobalOptions;
  config: ConfigFile;
  /** A setting's value by precedence (env over config file). */
  setting(key: SettingKey): string | undefined;
  /** A write command's stop guard (withCore's `write`): a stop waits while it reports. */
  stop?: StopGuard;
}

/** The login saved for this database, if any: a login on another database says nothing here. */
export async function storedSessionFor(handle: Pick<OpenDatabase, 'db' | 'file'>, config: ConfigFile): Promise<(StoredSession & { database: string }) | undefined> {
  if (Object.keys(config.sessions).length === 0) return undefined;
  const database = await sessionDatabase(handle.db);
  const stored = database === undefined ? undefined : config.sessions[database];
  // A copy (a backup, a rehearsal database) keeps the database's id and its sessions table, but
  // is another database: a login made on the original does not act there.
  if (!stored || database === undefined || (stored.file !== undefined && stored.file !== handle.file)) return undefined;
  return { ...stored, database };
}

/**
 * Who is acting: BOXOFFICE_OPERATOR + BOXOFFICE_PIN when set; else the session `boxoffice login`
 * saved for this database; else single-user while no staff exist. Anything else is refused (exit 5).
 */
export async function resolveActor(handle: OpenDatabase, env: NodeJS.ProcessEnv, config: ConfigFile): Promise<Actor> {
  if (env.BOXOFFICE_OPERATOR) return authenticate(handle.db, env.BOXOFFICE_OPERATOR, env.BOXOFFICE_PIN);
  const stored = await storedSessionFor(handle, config);
  if (stored) {
    const actor = await actorFromSession(handle.db, stored.token);
    if (actor) return { staffId: actor.staffId, name: actor.name, role: actor.role };
    throw new BoxofficeError('not_authenticated', `the login session of ${stored.operator} has ended`, 'log in again: boxoffice login');
  }
  try {
    return await authenticate(handle.db, undefined, undefined);
  } catch (err) {
    if (err instanceof BoxofficeError && err.code === 'not_authenticated') {
      throw new BoxofficeError('not_authenticated', 'staff are defined: log in first', 'boxoffice login (or set BOXOFFICE_OPERATOR and BOXOFFICE_PIN in scripts)');
    }
    throw err;
  }
}

function positive(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

const NOT_A_DATABASE: Record<NotADatabaseError['reason'], string> = {
  empty: 'it is an empty file',
  folder: 'it is a folder',
  not_sqlite: 'it is not a SQLite file',
  foreign: "it is another program's SQLite database",
};

/**
 * `boxoffice --db <target> <args>` as a hint to paste: a URL without its password (a `****` pasted
 * would be taken for it; src/db/target.ts), saying where the password then comes from.
 */
export function dbCommand(target: string, args: string): string {
  const shown = commandTarget(target);
  return `boxoffice --db ${shellWord(shown.target)} ${args}${shown.hadPassword ? ' (password in PGPASSWORD)' : ''}`;
}

/** The statement that gives the URL's database to the URL's user, with their names where the URL has them. */
function ownerStatement(target: string): string {
  try {
    const url = new URL(target);
    const database = decodeURIComponent(url.pathname.slice(1)) || 'DBNAME';
    const user = decodeURIComponent(url.username) || 'USERNAME';
    return `alter database ${quotedName(database)} owner to ${quotedName(user)}`;
  } catch {
    return 'alter database DBNAME owner to USERNAME';
  }
}

/** A PostgreSQL identifier as SQL spells it: bare when it can be, else in double quotes. */
const quotedName = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** A file that is not ours was given as the database: left alone, and said so (exit 2). */
function notADatabase(err: NotADatabaseError): BoxofficeError {
  const hint = err.reason === 'empty' ? `make it one with: ${dbCommand(err.file, 'init')}` : 'give the database file (--db FILE or BOXOFFICE_DB), or start a new one: boxoffice --db NEW.db init';
  return new BoxofficeError('not_a_database', `${err.file} is not a boxoffice database (${NOT_A_DATABASE[err.reason]}); it was left as it is`, hint);
}

/** Opens the database, authenticates the operator and runs `work`; always closes the database. */
export async function withCore<T>(
  deps: CommandDeps,
  cmd: Command,
  work: (session: CoreSession) => Promise<T>,
  options: {
    create?: boolean;
    authenticate?: boolean;
    retryMail?: boolean;
    /**
     * A command that writes: Ctrl-C and kills before its commit end it with this said ("nothing
     * was sold"); after, they wait until it has reported what it did (stop.ts).
     */
    write?: string;
  } = {},
): Promise<T> {
  const global = globalOptions(cmd);
  const stop = options.write !== undefined ? new StopGuard(deps.io, Boolean(global.json), options.write) : undefined;
  try {
    const result = await openAndRun(deps, global, work, options, stop);
    await stop?.finish();
    return result;
  } finally {
    stop?.release();
  }
}

async function openAndRun<T>(
  deps: CommandDeps,
  global: GlobalOptions,
  work: (session: CoreSession) => Promise<T>,
  options: { create?: boolean; authenticate?: boolean; retryMail?: boolean },
  stop: StopGuard | undefined,
): Promise<T> {
  const env = deps.io.env;
  const config = readConfig(env);
  const file = databasePath(global, env, config);
  let handle: OpenDatabase;
  try {
    handle = await openDatabase(file, { create: options.create });
  } catch (err) {
    if (err instanceof DatabaseMissingError) {
      // On PostgreSQL the database exists: what is missing is boxoffice's tables in it.
      if (isPostgresUrl(file)) {
        throw new BoxofficeError(
          'database_missing',
          `no boxoffice database in ${err.file} yet (it has no boxoffice tables)`,
          `create them with: ${dbCommand(file, 'init')}, or name another database with --db URL / BOXOFFICE_DB`,
        );
      }
      throw new BoxofficeError('database_missing', `no database at ${err.file}`, `create it with: ${dbCommand(err.file, 'init')}, or name another database with --db FILE / BOXOFFICE_DB`);
    }
    // Its message names the server without the password (src/db/target.ts).
    // A URL that cannot work is input to mend (exit 2); a database the server does not have is
    // not found (exit 3, as a missing SQLite file); the rest is the server or the network (exit 1).
    if (err instanceof DatabaseUnreachableError) {
      const code = ({ url: 'invalid_input', no_such_database: 'database_missing', server: 'database_unreachable' } as const)[err.fault];
      throw new BoxofficeError(code, err.message, err.hint ?? 'check the URL, that the server runs and that it accepts this user');
    }
    if (err instanceof DatabasePermissionError) {
      throw new BoxofficeError(
        'database_not_permitted',
        `${err.file}: this user may not create or use boxoffice's tables there (PostgreSQL said: ${err.reason})`,
        `make the user the database's owner, as a superuser: ${ownerStatement(file)} (README, "Many terminals on many computers")`,
      );
    }
    if (err instanceof NotADatabaseError) throw notADatabase(err);
    throw err;
  }
  // No file a command writes may replace the database or the files beside it, even with --force.
  if (handle.dialect.name === 'sqlite') for (const suffix of ['', '-wal', '-shm', '-journal', '-wake']) protectFromOutput(handle.file + suffix);
  try {
    const setting = (key: SettingKey) => resolveSetting(key, env, config).value;
    // BOXOFFICE_NOW is honoured or refused by the core's rule (src/core/rehearsal.ts), before anything runs.
    const clock = await boxOfficeClock(handle.db, env.BOXOFFICE_NOW);
    const actor = options.authenticate === false ? NOBODY : await resolveActor(handle, env, config);
    // The login's own writes (a PIN check is counted in the database) are not the command's change:
    // a stop until here, or before the command commits, ends it with nothing done.
    handle.forgetSaves();
    stop?.savedWhen(handle.saved);
    const ctx: CoreContext = {
      db: handle.db,
      clock,
      actor,
      channel: 'cli',
      holdMinutes: positive(setting('holdMinutes')),
      defaultOrderLimit: positive(setting('orderLimit')),
    };
    const session: CoreSession = { ctx, handle, global, config, setting, stop };
    const result = await work(session);
    // Stopped after its commit, a command reports and leaves: the waiting mail can wait longer.
    if (options.retryMail !== false && !stop?.held) await retryDueMail(deps.io, session);
    return result;
  } finally {
    await handle.close();
  }
}

/**
 * Mail that could not be sent earlier is retried by any later command that finds some due
 * (SPEC: never lost, never blocking a sale). Cheap when nothing is due: one count. Whatever
 * happens here, the command's own result stands; a failure stays queued with its backoff.
 */
async function retryDueMail(io: IO, session: CoreSession): Promise<void> {
  try {
    // Most commands run with no mail server set: they load none of the mail code.
    if (!session.setting('smtp.url') || !can(session.ctx.actor, 'sell')) return;
    const { retryDueMail: sendDue } = await import('../../app/delivery.js');
    // A server that does not answer must not hold up the command that just finished for long:
    // a short wait, and one failure is enough to leave the rest for later.
    const report = await sendDue(session.ctx, session, { quick: true });
    if (!report) return;
    if (report.sent.length) say(io, `Sent ${report.sent.length} waiting email(s).`);
    if (report.failed.length) say(io, `${report.stillUnsent} email(s) still waiting for the mail server: boxoffice mail list`);
  } catch {
    // The queue keeps the mail; `boxoffice mail list` shows why it waits.
  }
}
