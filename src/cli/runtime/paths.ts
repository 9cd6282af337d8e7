import os from 'node:os';
import path from 'node:path';

/** Where the database lives when neither --db nor BOXOFFICE_DB says: the user's data directory. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(home(env), 'AppData', 'Local'), 'boxoffice', 'boxoffice.db');
  }
  if (process.platform === 'darwin') return path.join(home(env), 'Library', 'Application Support', 'boxoffice', 'boxoffice.db');
  const base = env.XDG_DATA_HOME || path.join(home(env), '.local', 'share');
  return path.join(base, 'boxoffice', 'boxoffice.db');
}

/** The home directory, from the environment first so a test or a service can point it elsewhere. */
function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}
