// Which database the shared suites run on, and a look behind the tool's back on either.
//
// vitest.config.ts runs the core, CLI and multi-process suites twice: on SQLite files (project
// "sqlite") and on PostgreSQL (project "postgres", BOXOFFICE_TEST_DIALECT=postgres). Tests get
// their database from here (test/helpers/core.ts, test/helpers/cli.ts) and read it with
// querySync()/query(), which speak plain SQL both databases understand: a test's own SQL must
// stay portable (no sqlite_master, aliases on subqueries, `?` placeholders).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { inject } from 'vitest';

export type TestDialect = 'sqlite' | 'postgres';

export const testDialect: TestDialect = process.env.BOXOFFICE_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
/** This file runs on PostgreSQL (the "postgres" project). */
export const onPostgres = testDialect === 'postgres';
/** For it.skipIf(onPostgres) on tests about SQLite's file itself; say why in the test's name. */
export const sqliteOnly = onPostgres;

export const isUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

/** Waits (blocking) until the run's cluster is ready; the admin URL. */
function serverUrl(): string {
  const provided = inject('postgres');
  if (!provided) throw new Error('this run has no PostgreSQL server (the postgres project needs one)');
  const dir = provided.startingIn;
  if (dir) {
    const deadline = Date.now() + 120_000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(path.join(dir, 'ready'))) {
      if (fs.existsSync(path.join(dir, 'failed'))) throw new Error(`the test cluster did not start: ${fs.readFileSync(path.join(dir, 'failed'), 'utf8')}`);
      if (Date.now() > deadline) throw new Error('the test cluster did not start within 2 minutes');
      Atomics.wait(pause, 0, 0, 100);
    }
  }
  return provided.url;
}

function psql(url: string, sqlText: string): string {
  const r = spawnSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sqlText], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr || r.error?.message}\n${sqlText}`);
  return r.stdout;
}

export interface TestDatabase {
  /** What --db / BOXOFFICE_DB takes: a file path, or a postgres:// URL. */
  target: string;
  drop(): void;
}

/**
 * A new database for one test: a file name in `dir` (SQLite; `init` or openCore creates it), or a
 * new, empty PostgreSQL database with a random name on the run's server.
 */
export function newTestDatabase(dir: string, fileName = 'box.db'): TestDatabase {
  if (!onPostgres) return { target: path.join(dir, fileName), drop: () => {} };
  const server = serverUrl();
  const name = `boxoffice_t_${randomBytes(6).toString('hex')}`;
  psql(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    target: url.toString(),
    drop: () => {
      psql(server, `drop database if exists ${name} with (force)`);
    },
  };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** `?` placeholders (outside quotes) filled with SQL literals: for psql, which takes no parameters. */
function inlineParams(sqlText: string, params: unknown[]): string {
  let i = 0;
  let out = '';
  let quoted = false;
  for (const ch of sqlText) {
    if (ch === "'") quoted = !quoted;
    if (ch === '?' && !quoted) {
      if (i >= params.length) throw new Error(`too few parameters for: ${sqlText}`);
      out += literal(params[i++]);
    } else out += ch;
  }
  if (i !== params.length) throw new Error(`too many parameters for: ${sqlText}`);
  return out;
}

/**
 * Runs a read on the database behind `target`, synchronously (for CLI tests, between runs of the
 * binary): better-sqlite3 on a file, psql on a URL. Rows come back as plain objects.
 */
export function querySync<T = Record<string, any>>(target: string, sqlText: string, ...params: unknown[]): T[] {
  if (!isUrl(target)) {
    const db = new Database(target, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sqlText).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const out = psql(target, `select coalesce(json_agg(q), '[]'::json) from (${inlineParams(sqlText, params)}) q`);
  return JSON.parse(out) as T[];
}

/** Writes behind the tool's back (a test arranging a state no command makes). */
export function execSync(target: string, sqlText: string, ...params: unknown[]): void {
  if (!isUrl(target)) {
    const db = new Database(target, { fileMustExist: true });
    try {
      db.prepare(sqlText).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  psql(target, inlineParams(sqlText, params));
}

/** The names of the boxoffice tables (not the migrator's). */
export function tableNames(target: string): string[] {
  const rows = isUrl(target)
    ? querySync<{ name: string }>(target, "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely%'")
    : querySync<{ name: string }>(target, "select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%'");
  return rows.map((r) => r.name).sort();
}

/**
 * Every table's row count and a digest of its rows (in any order), plus the outbox's last sequence
 * number: equal before and after a command that must change nothing. `select` may narrow what is
 * compared per table (rows a refused login is meant to leave behind).
 */
export function databaseState(target: string, select: (table: string) => string = (t) => `select * from ${t}`) {
  const tables: Record<string, { rows: number; digest: string }> = {};
  for (const t of tableNames(target)) {
    const rows = querySync(target, select(t))
      .map((r) => JSON.stringify(r))
      .sort();
    tables[t] = { rows: rows.length, digest: createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16) };
  }
  return { tables, maxSeq: querySync<{ n: number | null }>(target, 'select max(seq) as n from outbox')[0].n ?? 0 };
}
