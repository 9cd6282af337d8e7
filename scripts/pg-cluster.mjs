#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and CI: Debian's server binaries, data and socket in a
// temp dir, listening on a free loopback port, stopped by its pid.
//
//   node scripts/pg-cluster.mjs start DIR   # prints postgres://postgres@127.0.0.1:PORT/postgres
//   node scripts/pg-cluster.mjs stop DIR    # SIGINT to the postmaster, waits until it is gone
//
// test/setup/postgres.ts uses startCluster() below the same way when BOXOFFICE_TEST_PG is not given.
// initdb and postgres refuse to run as root: as root, they run as the `postgres` user (Debian's
// package creates it), which must be able to reach DIR (made 0755 here) and own data/ and sock/.
// Never port 5432 (Debian's own cluster may be there) and never a socket outside DIR.
// A test cluster trades durability for speed (fsync off): nothing in it outlives the run. The
// benchmark (scripts/bench/postgres.mjs) asks for `durable: true`, the server's defaults, so a
// commit costs what it costs in use.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The newest Debian PostgreSQL server's bin folder (15 on these machines), or undefined. */
export function findServerBin() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Runs a server binary, as `postgres` when we are root; rejects with its output on failure.
 * Asynchronous: vitest's main process starts the cluster while the first tests run.
 */
function runServerTool(bin, tool, args) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool} failed (exit ${err.code ?? err.signal}): ${(stderr || stdout || err.message).trim()}`));
      else resolve();
    });
  });
}

/** A loopback TCP port that is free now (it may be taken again before the server binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster in `dir` (made if missing) and resolves to
 * `{ url, pid, stop() }`. `stop()` ends the server by its pid and waits for it.
 * With `port`, that port or a failure; without, a free one (retried if it was taken meanwhile).
 * `durable`: keep fsync, synchronous_commit and full_page_writes at their defaults (on).
 */
export async function startCluster(dir, { bin = findServerBin(), port: fixedPort, durable = false } = {}) {
  if (!bin) throw new Error('PostgreSQL server binaries not found (Debian: apt-get install postgresql)');
  dir = path.resolve(dir);
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock, { recursive: true });
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    // mkdtemp makes DIR 0700: the postgres user must be able to enter it.
    fs.chmodSync(dir, 0o755);
    fs.chownSync(sock, uid, gid);
    if (!fs.existsSync(data)) {
      fs.mkdirSync(data, { mode: 0o700 });
      fs.chownSync(data, uid, gid);
    }
  }
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    await runServerTool(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
  }
  // A free port can be taken between finding it and binding it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const options = [
      `-p ${port}`,
      `-k ${sock}`,
      '-c listen_addresses=127.0.0.1',
      ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=200',
    ].join(' ');
    try {
      await runServerTool(bin, 'pg_ctl', ['-D', data, '-l', path.join(data, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
    } catch (err) {
      if (attempt < 3 && fixedPort === undefined) continue;
      const log = fs.existsSync(path.join(data, 'server.log')) ? fs.readFileSync(path.join(data, 'server.log'), 'utf8').slice(-2000) : '';
      throw new Error(`${err.message}\n${log}`);
    }
    const pid = postmasterPid(dir);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, pid, stop: () => stopCluster(dir) };
  }
}

/** The running postmaster's pid from DIR/data/postmaster.pid, or undefined. */
function postmasterPid(dir) {
  try {
    return Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** SIGINT to the postmaster (PostgreSQL's fast shutdown), then waits until it has exited. */
export async function stopCluster(dir) {
  const pid = postmasterPid(path.resolve(dir));
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same, synchronous: for a process 'exit' handler (a test run killed before its teardown). */
export function stopClusterNow(dir) {
  const pid = postmasterPid(path.resolve(dir));
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [verb, dir] = process.argv.slice(2);
  if (!['start', 'stop'].includes(verb) || !dir) {
    process.stderr.write('usage: node scripts/pg-cluster.mjs start|stop DIR\n');
    process.exit(2);
  }
  try {
    if (verb === 'start') process.stdout.write(`${(await startCluster(dir)).url}\n`);
    else await stopCluster(dir);
  } catch (err) {
    process.stderr.write(`pg-cluster: ${err.message}\n`);
    process.exit(1);
  }
}
