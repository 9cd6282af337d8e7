// The same box office on PostgreSQL prints what it prints on SQLite: the same steps (the demo,
// a seat map imported with every kind of seat, sales, a hold, a block, a refund, a check-in,
// leads) on a SQLite file and on a PostgreSQL database, then every read-only command, piped,
// with --json, and at a terminal (seat maps, indented JSON), through the real binary. Only what
// must differ is masked: the database's name, order and ticket codes (random), ids made from the
// real clock (UUIDv7) and the seconds of times (each step runs at its own fixed BOXOFFICE_NOW, on
// a clock that then runs on at the real pace).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { hasPostgres, postgresNote, postgresServer } from './helpers/pg.js';
import { boxOn, readAll, seed, type Transcript } from './helpers/transcript.js';

interface TestDatabase {
  url: string;
  query(text: string): Promise<unknown>;
  drop(): Promise<void>;
}

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

async function onServer(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own whose collation is not byte order (ICU's en-US sorts "b" before "C" and
 * weighs punctuation last), as a server set up in most locales has it: any order of text left to
 * the database shows up as a difference from SQLite.
 */
async function databaseSortingByLanguage(): Promise<TestDatabase> {
  const server = await postgresServer();
  const name = `boxoffice_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, `create database ${name} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = {
    url: url.toString(),
    query: (text: string) => onServer(url.toString(), text),
    drop: () => onServer(server, `drop database if exists ${name} with (force)`),
  };
  databases.push(database);
  return database;
}

describe.runIf(hasPostgres)(`the same box office on PostgreSQL as on SQLite${postgresNote}`, () => {
  it('prints the same for every read-only command after the same steps, piped, as JSON and at a terminal', async () => {
    const pgDatabase = await databaseSortingByLanguage();
    const pgBox = boxOn(pgDatabase.url) as Transcript & { next: number };
    // The schema first (plain init), so that the stand-in can go on it before the demo.
    expect(pgBox.run(['init']).code).toBe(0);
    const sqliteBox = boxOn(undefined) as Transcript & { next: number };
    seed(sqliteBox);
    seed(pgBox);
    const sqlite = await readAll(sqliteBox);
    const postgres = await readAll(pgBox);
    if (process.env.PG_SAME_OUTPUT_DUMP) {
      fs.writeFileSync(`${process.env.PG_SAME_OUTPUT_DUMP}.sqlite`, sqlite);
      fs.writeFileSync(`${process.env.PG_SAME_OUTPUT_DUMP}.postgres`, postgres);
    }
    // Something to compare: the reads ran and found the steps' data.
    expect(sqlite).toContain('<order 5>');
    expect(sqlite).not.toMatch(/\(exit [^0]/);
    expect(sqlite).toContain('<refund 2>');
    expect(sqlite).toContain('is in several sections: say which (Stalls:A-1, Balcony:A-1, Box:A-1)');
    expect(postgres).toBe(sqlite);
  }, 600_000);
});
