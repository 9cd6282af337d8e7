// PostgreSQL for the tests that need one (test/helpers/pg.ts), found once per run:
// - BOXOFFICE_TEST_PG=postgres://… (CI gives one, .ci/run): used as it is, and a server that
//   cannot be reached FAILS the run here: a PostgreSQL test is never skipped because of it;
// - else, when Debian's PostgreSQL server is installed, a throwaway cluster of our own
//   (scripts/pg-cluster.mjs) in a temp dir, stopped and removed when the run ends. It starts in
//   the background: runs that need no PostgreSQL do not wait for it; the first test that does
//   waits (test/helpers/pg.ts);
// - else none: the PostgreSQL tests are skipped, saying why (never on CI, which fails instead).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { findServerBin, freePort, startCluster, stopCluster, stopClusterNow } from '../../scripts/pg-cluster.mjs';

export interface ProvidedPostgres {
  /** The server's URL, as a superuser that may create databases. */
  url: string;
  /** Our own cluster's dir: `ready` or `failed` appears in it when its start is over. */
  startingIn?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: ProvidedPostgres | null;
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:****@');

async function mustReach(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`BOXOFFICE_TEST_PG=${redact(url)} cannot be reached (${(err as Error).message}): the PostgreSQL tests cannot run, so the run fails`);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.BOXOFFICE_TEST_PG;
  if (given) {
    await mustReach(given);
    project.provide('postgres', { url: given });
    return;
  }
  const bin = findServerBin();
  if (!bin) {
    if (process.env.CI === 'true') throw new Error("CI must test PostgreSQL: set BOXOFFICE_TEST_PG or install Debian's postgresql");
    project.provide('postgres', null);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxoffice-pg-'));
  const port = await freePort();
  const starting = startCluster(dir, { bin, port }).then(
    () => fs.writeFileSync(path.join(dir, 'ready'), ''),
    (err: Error) => fs.writeFileSync(path.join(dir, 'failed'), err.message),
  );
  // A run killed before its teardown still stops its server.
  const onExit = () => stopClusterNow(dir);
  process.once('exit', onExit);
  project.provide('postgres', { url: `postgres://postgres@127.0.0.1:${port}/postgres`, startingIn: dir });
  return async () => {
    await starting;
    await stopCluster(dir);
    process.off('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
