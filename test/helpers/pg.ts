// A PostgreSQL database of its own for each test that needs one, on the server test/setup/postgres.ts
// found or started: CREATE DATABASE with a random name, dropped afterwards, so tests never share
// state and can run in parallel.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

const provided = inject('postgres');

/** Whether this run has a PostgreSQL server; use with describe.runIf / it.runIf. */
export const hasPostgres = provided !== null;
/** Why the PostgreSQL tests are skipped, for their names. */
export const postgresNote = hasPostgres ? '' : ' (skipped: no PostgreSQL here; set BOXOFFICE_TEST_PG or install postgresql)';

let ready: Promise<string> | undefined;

/** The server's admin URL, once it accepts connections. */
export function postgresServer(): Promise<string> {
  if (!provided) throw new Error('no PostgreSQL server in this run');
  ready ??= (async () => {
    const dir = provided.startingIn;
    if (dir) {
      const deadline = Date.now() + 120_000;
      while (!fs.existsSync(path.join(dir, 'ready'))) {
        if (fs.existsSync(path.join(dir, 'failed'))) throw new Error(`the test cluster did not start: ${fs.readFileSync(path.join(dir, 'failed'), 'utf8')}`);
        if (Date.now() > deadline) throw new Error('the test cluster did not start within 2 minutes');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return provided.url;
  })();
  return ready;
}

export interface PostgresDatabase {
  /** postgres://…/<its own database> */
  url: string;
  name: string;
  /** Runs SQL on it directly (to look behind the tool's back). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server. */
export async function freshPostgresDatabase(): Promise<PostgresDatabase> {
  const server = await postgresServer();
  const name = `boxoffice_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, (c) => c.query(`create database ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    query: (text, values) => onServer(url.toString(), async (c) => (await c.query(text, values)).rows),
    drop: () => onServer(server, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** A lock a test holds from a client of its own, so that racers wait at a known point. */
export interface HeldLock {
  /** Resolves once `count` other sessions of the database wait on a lock; throws if a racer ends first. */
  waitForWaiters(count: number, racers: Promise<unknown>[]): Promise<void>;
  /** Rolls the holder's transaction back (nothing it locked was changed) and lets the waiters go; again, nothing. */
  release(): Promise<void>;
}

/** Runs `lockSql` (it must return one row: the row locked, or an advisory lock's result) in a transaction held open. */
export async function holdLock(database: PostgresDatabase, lockSql: string, values: unknown[] = []): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('begin');
  const locked = await client.query(lockSql, values);
  if (locked.rowCount !== 1) {
    await client.end();
    throw new Error(`the lock to hold: ${locked.rowCount} rows for ${lockSql}`);
  }
  let released = false;
  return {
    async waitForWaiters(count, racers) {
      let early: unknown;
      for (const racer of racers) void racer.then((e) => (early ??= e ?? 'ended'));
      for (;;) {
        // pg_stat_activity is read as of the start of a transaction, hence a clear snapshot each time.
        await client.query('select pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
        if (Number(rows[0].n) >= count) return;
        if (early !== undefined) throw new Error(`a racer finished before the start line: ${JSON.stringify(early)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('rollback');
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A new database owned by a user of its own with a password (so that masking can be seen): the
 * URL as that user, password and all. Its drop() drops the user too.
 */
export async function databaseWithPassword(password = 'pw-Secr3t-never-shown'): Promise<{ database: PostgresDatabase; url: string; password: string }> {
  const database = await freshPostgresDatabase();
  const user = `${database.name}_owner`;
  await database.query(`create user ${user} password '${password}'`);
  await database.query(`alter database ${database.name} owner to ${user}`);
  await database.query(`grant all on schema public to ${user}`);
  const url = new URL(database.url);
  url.username = user;
  url.password = password;
  const server = await postgresServer();
  const owned: PostgresDatabase = {
    ...database,
    drop: async () => {
      await database.drop();
      await onServer(server, (c) => c.query(`drop role if exists ${user}`));
    },
  };
  return { database: owned, url: url.toString(), password };
}
