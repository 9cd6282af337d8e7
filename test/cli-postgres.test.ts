// PostgreSQL mode's edges (docs/postgres.md): `init` creates or migrates the schema on a
// postgres:// URL; `backup` exits 2 naming pg_dump; the password is never printed; and a SQLite
// command never loads the PostgreSQL client. The core and CLI suites run on PostgreSQL as well
// (vitest's postgres project, see vitest.config.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { urlProblem } from '../src/db/target.js';
import { BIN, sandbox } from './helpers/cli.js';
import { databaseWithPassword as ownedDatabase, freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

/** The test database's URL with a user and password of its own, so that masking can be seen. */
async function databaseWithPassword(): Promise<{ url: string; password: string }> {
  const owned = await ownedDatabase();
  database = owned.database;
  return owned;
}

describe.runIf(hasPostgres)(`a postgres:// database${postgresNote}`, () => {
  it('init creates the schema, then finds it up to date; the password is never printed', async () => {
    const { url, password } = await databaseWithPassword();
    const box = sandbox({ BOXOFFICE_DB: url });
    const first = box.run(['init', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json).toEqual({ database: url.replace(password, '****'), created: true, demo: false, rehearsal: false });
    const tables = await database!.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' order by 1");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['orders', 'seat_claims', 'outbox', 'kysely_migration']));

    const again = box.run(['init']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Opened postgres://');
    for (const r of [first, again, box.run(['config', 'get', 'db']), box.run(['config', 'list'])]) {
      expect(r.stdout + r.stderr).not.toContain(password);
    }
    expect(box.run(['config', 'get', 'db']).stdout.trim()).toBe(url.replace(password, '****'));
    box.cleanup();
  });

  it('backup exits 2 naming pg_dump and writes nothing; the password is never printed', async () => {
    const { url, password } = await databaseWithPassword();
    const box = sandbox({ BOXOFFICE_DB: url });
    expect(box.run(['init']).code).toBe(0);
    const r = box.run(['backup', `${box.dir}/copy.db`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pg_dump');
    expect(r.stdout + r.stderr).not.toContain(password);
    expect(fs.existsSync(`${box.dir}/copy.db`)).toBe(false);
    // Also through --db, and under --json as the error object.
    const viaFlag = box.run(['--db', url, 'backup', `${box.dir}/copy.db`, '--json'], { BOXOFFICE_DB: '' });
    expect(viaFlag.code).toBe(2);
    expect(JSON.parse(viaFlag.stderr).error.code).toBe('unsupported');
    expect(viaFlag.stderr).not.toContain(password);
    box.cleanup();
  });

  it('a password is never printed, wherever the URL carries it: after the user, as ?password= or ?sslpassword=, or unencoded', () => {
    const box = sandbox();
    const cases = [
      { url: 'postgres://box@127.0.0.1:1/box?password=QuerySecret', secret: 'QuerySecret', shown: 'postgres://box@127.0.0.1:1/box?password=****' },
      { url: 'postgres://box:Se/cret@127.0.0.1:1/box', secret: 'Se/cret', shown: 'postgres://box:****@127.0.0.1:1/box' },
      { url: 'postgres://box:p#w?d@127.0.0.1:1/box', secret: 'p#w?d', shown: 'postgres://box:****@127.0.0.1:1/box' },
      { url: 'postgres://box@127.0.0.1:1/box?sslpassword=KeySecret', secret: 'KeySecret', shown: 'postgres://box@127.0.0.1:1/box?sslpassword=****' },
      // An unencoded @ with a # or / in the password: parsed, the host would end at the first @.
      { url: 'postgres://box:Tr0ub4dor@3#x@127.0.0.1:1/box', secret: '3#x', shown: 'postgres://box:****@127.0.0.1:1/box' },
      { url: 'postgres://box:p@ss/word@127.0.0.1:1/box', secret: 'ss/word', shown: 'postgres://box:****@127.0.0.1:1/box' },
    ];
    for (const { url, secret, shown } of cases) {
      for (const r of [box.run(['init'], { BOXOFFICE_DB: url }), box.run(['--db', url, 'event', 'list', '--json']), box.run(['config', 'get', 'db'], { BOXOFFICE_DB: url })]) {
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
      const init = box.run(['init'], { BOXOFFICE_DB: url });
      // Nothing listens on port 1 (exit 1); a URL that cannot be read is input to mend (exit 2).
      expect(init.code).toBe(urlProblem(url) ? 2 : 1);
      expect(init.stderr).toContain(`cannot connect to ${shown}`);
      expect(box.run(['config', 'get', 'db'], { BOXOFFICE_DB: url }).stdout.trim()).toBe(shown);
    }
    // A URL that cannot be read says why, and how to write the password.
    expect(box.run(['init'], { BOXOFFICE_DB: 'postgres://box:Se/cret@127.0.0.1:1/box' }).stderr).toContain('/ is %2F');
    expect(box.run(['init'], { BOXOFFICE_DB: 'postgres://box:p@ss/word@127.0.0.1:1/box' }).stderr).toContain('percent-encoded (@ is %40');
    box.cleanup();
  });

  it('a user who may not create the tables: exit 5, saying to make the user the owner', async () => {
    database = await freshPostgresDatabase();
    const user = `${database.name}_clerk`;
    await database.query(`create user ${user} password 'pw-Clerk-secret'`);
    const url = new URL(database.url);
    url.username = user;
    url.password = 'pw-Clerk-secret';
    const box = sandbox({ BOXOFFICE_DB: url.toString() });
    const r = box.run(['init', '--json']);
    expect(r.code).toBe(5);
    const error = JSON.parse(r.stderr).error;
    expect(error.code).toBe('database_not_permitted');
    expect(error.message).toContain('permission denied');
    expect(error.hint).toContain(`alter database ${database.name} owner to ${user}`);
    expect(r.stderr).not.toContain('pw-Clerk-secret');
    await database.query(`drop owned by ${user}`);
    await database.query(`drop user ${user}`);
    box.cleanup();
  });

  it('a server that does not answer: exit 1, naming it without its password', () => {
    const box = sandbox({ BOXOFFICE_DB: 'postgres://box:pw-Secr3t@127.0.0.1:1/box' });
    const r = box.run(['init']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot connect to postgres://box:****@127.0.0.1:1/box');
    expect(r.stderr).not.toContain('pw-Secr3t');
    box.cleanup();
  });
});

describe('start-up on SQLite', () => {
  // NODE_DEBUG=module logs every module Node loads: the PostgreSQL client must not be one of them.
  const modulesLoaded = (args: string[], env: Record<string, string>) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env, NODE_DEBUG: 'module' } });
    return { code: r.status, log: r.stderr };
  };

  it('a command on a SQLite file never loads pg', () => {
    const box = sandbox();
    const r = modulesLoaded(['init', '--no-input'], { HOME: box.dir, BOXOFFICE_DB: `${box.dir}/box.db` });
    expect(r.code).toBe(0);
    expect(r.log).toContain('better_sqlite3.node');
    expect(r.log).not.toMatch(/node_modules[\\/]pg/);
    box.cleanup();
  });

  it.runIf(hasPostgres)(`a command on a postgres:// URL does load it (so the check above can fail)${postgresNote}`, async () => {
    database = await freshPostgresDatabase();
    const box = sandbox();
    const r = modulesLoaded(['init'], { HOME: box.dir, BOXOFFICE_DB: database.url });
    expect(r.code).toBe(0);
    expect(r.log).toMatch(/node_modules[\\/]pg[\\/]/);
    box.cleanup();
  });
});
