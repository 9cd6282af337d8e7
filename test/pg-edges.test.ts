// PostgreSQL mode at its edges, through the real binary on a real server (docs/postgres.md, "What a
// user sees"): a write the database keeps refusing ends as the domain's database_busy (exit 4),
// never a raw database error; a seat lost in a race is refused in the words SQLite uses; the URL's
// sslmode means what it means to psql, with no warning of node-postgres on stderr and a clear
// message when TLS fails; a server that does not answer is named by host and port; hints to paste
// carry the URL without its password.
//
// Runs the compiled code (npm run build first).
import { spawn } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sandbox, type CliResult } from './helpers/cli.js';
import { databaseWithPassword, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './fixtures/self-signed.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fresh database owned by a user of its own whose password must never show, and a CLI on it. */
async function initialised(): Promise<{ database: PostgresDatabase; url: string; password: string; box: ReturnType<typeof sandbox> }> {
  const { database, url, password } = await databaseWithPassword('pw-Edge-s3cret');
  cleanups.push(() => database.drop());
  const box = sandbox({ BOXOFFICE_DB: url });
  cleanups.push(() => box.cleanup());
  return { database, url, password, box };
}

/** The CLI's steps to an event on sale (Gala, Adult 25.00) at a venue with these reserved sections (rows A-B, seats 1-4). */
function galaOnSale(box: ReturnType<typeof sandbox>, sections: string[]): void {
  for (const args of [
    ['init'],
    ['venue', 'add', 'Main Hall', '--city', 'Lisbon'],
    ...sections.map((section) => ['venue', 'seatmap', 'generate', 'Main Hall', '--section', section, '--rows', 'A-B', '--seats', '1-4']),
    ['event', 'add', 'Gala', '--venue', 'Main Hall', '--starts', '2027-03-01T20:00'],
    ['event', 'price', 'Gala', '--tier', 'Adult', '--price', '25'],
    ['event', 'publish', 'Gala'],
  ]) {
    const r = box.run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

function expectNoLeak(r: Pick<CliResult, 'stdout' | 'stderr'>, password: string) {
  expect(r.stdout + r.stderr).not.toContain(password);
  // Neither a raw database error nor a warning of the client library.
  expect(r.stderr).not.toMatch(/SQLSTATE|could not serialize|deadlock detected|duplicate key|unexpected error|\(node:\d+\)|Warning/);
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  cleanups.push(() => void child.kill('SIGKILL'));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.runIf(hasPostgres)(`when the database keeps refusing a write${postgresNote}`, () => {
  // A trigger refuses every insert into `table` with the SQLSTATE given, and counts the attempts in
  // a sequence (sequences are not rolled back): what concurrent writers cause, made to happen every
  // time, with no hook in the product.
  async function refuseInserts(database: PostgresDatabase, table: string, sqlstate: string): Promise<() => Promise<number>> {
    await database.query('create sequence if not exists test_attempts');
    await database.query('grant usage on sequence test_attempts to public');
    await database.query(`create or replace function test_refuse() returns trigger language plpgsql as $$
      begin
        perform nextval('test_attempts');
        raise exception 'refused by the test' using errcode = tg_argv[0];
      end $$`);
    await database.query(`create trigger test_refuse before insert on ${table} for each row execute function test_refuse('${sqlstate}')`);
    return async () => Number((await database.query<{ n: string }>('select last_value as n from test_attempts'))[0].n);
  }

  it.each([
    { what: 'a serialization failure (40001)', sqlstate: '40001' },
    { what: 'a deadlock (40P01)', sqlstate: '40P01' },
    { what: 'a unique violation that a re-run does not resolve (23505)', sqlstate: '23505' },
  ])('$what on every attempt: exit 4 database_busy after 8 attempts, nothing changed, no raw error', async ({ sqlstate }) => {
    const { database, password, box } = await initialised();
    expect(box.run(['init']).code).toBe(0);
    const attempts = await refuseInserts(database, 'venues', sqlstate);

    const human = box.run(['venue', 'add', 'Main Hall', '--city', 'Lisbon']);
    expect(human.code, human.stderr).toBe(4);
    expect(human.stderr).toMatch(/^error: the database was too busy .* to finish this \(tried 8 times\); nothing was changed\nhint: try again/);
    expectNoLeak(human, password);
    expect(await attempts()).toBe(8);

    const json = box.run(['venue', 'add', 'Main Hall', '--city', 'Lisbon', '--json']);
    expect(json.code).toBe(4);
    expect(json.stdout).toBe('');
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'database_busy', message: expect.stringContaining('nothing was changed'), details: { attempts: 8 } });
    expect(await database.query('select id from venues')).toEqual([]);
  });

  it('a sale whose claim is refused on every attempt (deadlock): exit 4 database_busy, nothing sold', async () => {
    const { database, password, box } = await initialised();
    galaOnSale(box, ['Stalls']);
    await refuseInserts(database, 'seat_claims', '40P01');
    const r = box.run(['sell', 'Gala', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stderr).error.code).toBe('database_busy');
    expectNoLeak(r, password);
    expect(await database.query('select id from orders')).toEqual([]);
  });
});

describe.runIf(hasPostgres)(`a named seat lost in a race${postgresNote}`, () => {
  it('is refused in the words a sale after the winner gets, section name and all', async () => {
    const { database, url, box } = await initialised();
    // Two reserved sections: a seat is named with its section, and so is a refusal.
    galaOnSale(box, ['Stalls', 'Balcony']);
    const sell = ['sell', 'Gala', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash'];
    // The start line: orders locked against inserts, so both sales read the seat as free and then
    // wait to write their order; released together, both claim it and one claim loses.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('begin');
    await holder.query('lock table orders in share mode');
    const env = { HOME: box.dir, BOXOFFICE_DB: url };
    const racers = [start(sell, env), start(sell, env)];
    for (;;) {
      await holder.query('select pg_stat_clear_snapshot()');
      const { rows } = await holder.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
      if (Number(rows[0].n) >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query('commit');
    const exits = await Promise.all(racers);
    const codes = exits.map((e) => e.code).sort();
    expect(codes, JSON.stringify(exits)).toEqual([0, 4]);
    const loser = exits.find((e) => e.code === 4)!;
    // A third sale, after the winner's commit, is refused by the sequential path (as on SQLite).
    const after = box.run(sell);
    expect(after.code).toBe(4);
    expect(after.stderr).toBe('error: not available: Stalls:A-1 is sold\nhint: choose other seats, or --best N\n');
    expect(loser.stderr).toBe(after.stderr);
  });
});

/** `url` with these query parameters set. */
function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/**
 * A server that speaks just enough of PostgreSQL's start to offer TLS ('S' to the SSLRequest),
 * with a certificate no authority signed, then hangs up: what a client makes of its certificate
 * is all there is to see. Its port.
 */
async function selfSignedTlsServer(): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('S');
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: tls.createSecureContext({ cert: SELF_SIGNED_CERT, key: SELF_SIGNED_KEY }) });
      secure.on('error', () => {});
      secure.once('data', () => secure.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe.runIf(hasPostgres)(`sslmode in the URL, as psql reads it${postgresNote}`, () => {
  it('prefer (and allow) connect without TLS to a server that offers none; require and verify-full refuse, saying why; never a warning', async () => {
    const { url, password, box } = await initialised();
    expect(box.run(['init']).code).toBe(0);
    for (const mode of ['prefer', 'allow', 'disable']) {
      const r = box.run(['event', 'list'], { BOXOFFICE_DB: withParams(url, { sslmode: mode }) });
      expect(r.stderr, mode).toBe('');
      expect(r.code, mode).toBe(0);
    }
    // PGSSLMODE stands in for a URL without sslmode, as for psql.
    expect(box.run(['event', 'list'], { PGSSLMODE: 'prefer' }).code).toBe(0);

    for (const mode of ['require', 'verify-full']) {
      const r = box.run(['event', 'list'], { BOXOFFICE_DB: withParams(url, { sslmode: mode }) });
      expect(r.code, mode).toBe(1);
      const [first, hint] = r.stderr.trimEnd().split('\n');
      expect(first).toBe(
        `error: cannot connect to ${withParams(url, { sslmode: mode }).replace(password, '****')}: the server at ${new URL(url).host} does not accept TLS connections, and sslmode=${mode} asks for one`,
      );
      expect(hint).toMatch(/^hint: turn ssl on in the server, or use sslmode=prefer/);
      expectNoLeak(r, password);
    }
    const viaEnv = box.run(['event', 'list', '--json'], { PGSSLMODE: 'require' });
    expect(viaEnv.code).toBe(1);
    expect(JSON.parse(viaEnv.stderr).error).toMatchObject({ code: 'database_unreachable', message: expect.stringContaining('sslmode=require asks for one') });

    // What cannot work is said before connecting.
    const unknown = box.run(['event', 'list'], { BOXOFFICE_DB: withParams(url, { sslmode: 'requir' }) });
    expect(unknown.code, 'a URL to mend is input to mend').toBe(2);
    expect(unknown.stderr).toContain('sslmode=requir is not a mode PostgreSQL knows');
    const noRoot = box.run(['event', 'list'], { BOXOFFICE_DB: withParams(url, { sslmode: 'verify-ca' }) });
    expect(noRoot.stderr).toContain('sslmode=verify-ca needs the certificate of the authority');
    expect(noRoot.code).toBe(2);
    for (const r of [unknown, noRoot]) expectNoLeak(r, password);
  });

  it('a certificate no authority signed: verify-full says it could not be verified; require encrypts without verifying, as psql does', async () => {
    const port = await selfSignedTlsServer();
    const box = sandbox();
    cleanups.push(() => box.cleanup());
    const url = `postgres://box:pw-Tls-s3cret@127.0.0.1:${port}/box`;

    // The server runs in this process: the CLI runs beside it (spawnSync would stop it answering).
    const env = { HOME: box.dir };
    const full = await start(['event', 'list'], { ...env, BOXOFFICE_DB: `${url}?sslmode=verify-full` });
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(
      `cannot connect to postgres://box:****@127.0.0.1:${port}/box?sslmode=verify-full: the server's TLS certificate could not be verified (sslmode=verify-full): self-signed certificate`,
    );
    expect(full.stderr).toMatch(/hint: give the certificate of the authority that signed it with sslrootcert=/);
    expectNoLeak(full, 'pw-Tls-s3cret');

    // The handshake succeeds (nothing about the certificate); the fake server then hangs up.
    const required = await start(['event', 'list'], { ...env, BOXOFFICE_DB: `${url}?sslmode=require` });
    expect(required.code).toBe(1);
    expect(required.stderr).toContain(`cannot connect to postgres://box:****@127.0.0.1:${port}/box?sslmode=require: 127.0.0.1:${port} closed the connection before it was ready`);
    expect(required.stderr).not.toMatch(/certificate/);
    expectNoLeak(required, 'pw-Tls-s3cret');
  });
});

describe.runIf(hasPostgres)(`where the server or its tables are not there${postgresNote}`, () => {
  it('a closed port: exit 1, naming host:port and not the password, saying to check the server and the URL', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const box = sandbox({ BOXOFFICE_DB: `postgres://box:pw-Closed-s3cret@127.0.0.1:${port}/box` });
    cleanups.push(() => box.cleanup());
    const r = box.run(['event', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: cannot connect to postgres://box:****@127.0.0.1:${port}/box: nothing accepts connections at 127.0.0.1:${port} (connection refused)\n` +
        `hint: check that the PostgreSQL server runs and listens on 127.0.0.1:${port}; check the host and port in the URL (--db / BOXOFFICE_DB)\n`,
    );
    const json = box.run(['event', 'list', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'database_unreachable', message: expect.stringContaining(`127.0.0.1:${port} (connection refused)`) });
    for (const run of [r, json]) expectNoLeak(run, 'pw-Closed-s3cret');
  });

  it('a user the server does not have: exit 1, saying to check the name or create the user', async () => {
    const { url, password, box } = await initialised();
    const stranger = new URL(url);
    stranger.username = 'nosuchuser_edge';
    const r = box.run(['event', 'list', '--json'], { BOXOFFICE_DB: stranger.toString() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: 'database_unreachable',
      message: expect.stringContaining('role "nosuchuser_edge" does not exist'),
      hint: expect.stringContaining('create the user'),
    });
    expectNoLeak(r, password);
  });

  it('a database the server does not have: exit 3, as a missing file, naming it and not the password', async () => {
    const { url, password, box } = await initialised();
    const typo = new URL(url);
    typo.pathname = `${typo.pathname}_typo`;
    const r = box.run(['event', 'list', '--json'], { BOXOFFICE_DB: typo.toString() });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'database_missing', message: expect.stringContaining(`${typo.pathname.slice(1)}" does not exist`) });
    expectNoLeak(r, password);
  });

  it('a database without boxoffice tables: exit 3; the message masks the password, the hint to paste has none', async () => {
    const { url, password, box } = await initialised();
    const plain = new URL(url);
    plain.password = '';
    const r = box.run(['event', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: no boxoffice database in ${url.replace(password, '****')} yet (it has no boxoffice tables)\n` +
        `hint: create them with: boxoffice --db ${plain} init (password in PGPASSWORD), or name another database with --db URL / BOXOFFICE_DB\n`,
    );
    // The hint works as it says.
    const pasted = box.run(['--db', plain.toString(), 'init'], { PGPASSWORD: password, BOXOFFICE_DB: '' });
    expect(pasted.code, pasted.stderr).toBe(0);
    expect(box.run(['event', 'list']).code).toBe(0);
  });
});
