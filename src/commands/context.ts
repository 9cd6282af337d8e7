// What every command does first: find and open the database, learn who is acting, set the clock.
import type { Command } from 'commander';
import { DatabaseMissingError, openDatabase, type OpenDatabase } from '../db/connection.js';
import { BoxofficeError } from '../core/errors.js';
import { clockFrom } from '../core/clock.js';
import type { CoreContext } from '../core/context.js';
import { authenticate } from '../core/staff/staff.js';
import type { IO } from './io.js';
import { defaultDatabasePath } from './paths.js';

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

export function databasePath(global: GlobalOptions, env: NodeJS.ProcessEnv): string {
  return global.db ?? env.BOXOFFICE_DB ?? defaultDatabasePath(env);
}

export interface CoreSession {
  ctx: CoreContext;
  handle: OpenDatabase;
  global: GlobalOptions;
}

/** Opens the database, authenticates the operator and runs `work`; always closes the database. */
export async function withCore<T>(
  deps: CommandDeps,
  cmd: Command,
  work: (session: CoreSession) => Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const global = globalOptions(cmd);
  const env = deps.io.env;
  const file = databasePath(global, env);
  let handle: OpenDatabase;
  try {
    handle = await openDatabase(file, { create: options.create });
  } catch (err) {
    if (err instanceof DatabaseMissingError) {
      throw new BoxofficeError('database_missing', `no database at ${err.file}`, 'create it with: boxoffice init (or --db FILE / BOXOFFICE_DB)');
    }
    throw err;
  }
  try {
    const actor = await authenticate(handle.db, env.BOXOFFICE_OPERATOR, env.BOXOFFICE_PIN);
    const ctx: CoreContext = {
      db: handle.db,
      clock: clockFrom(env.BOXOFFICE_NOW),
      actor,
      channel: 'cli',
      holdMinutes: env.BOXOFFICE_HOLD_MINUTES ? Number(env.BOXOFFICE_HOLD_MINUTES) : undefined,
    };
    return await work({ ctx, handle, global });
  } finally {
    await handle.close();
  }
}
