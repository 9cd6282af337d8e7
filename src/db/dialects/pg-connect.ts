// How a postgres:// URL becomes node-postgres's connection, and what a user reads when it fails.
//
// sslmode means what libpq (psql, pg_dump) takes it to mean, so that one URL works in both:
// node-postgres 8 treats prefer, require and verify-ca as verify-full and prints a warning about
// it on stderr; its libpq mode (`uselibpqcompat=true`) has the libpq meanings, which are the ones
// its next major version adopts. `prefer` (and `allow`) fall back to a plain connection when the
// server offers no TLS, as libpq does; node-postgres alone cannot, so openPostgres retries.
// PGSSLMODE stands in for a URL without sslmode, as it does for libpq.

/** libpq's modes (and node-postgres's own no-verify, which is libpq's require). */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
type SslMode = (typeof SSL_MODES)[number];

export interface PgConnection {
  /** The URL as node-postgres is given it (never shown: it may carry the password). */
  connectionString: string;
  /** libpq's `prefer`/`allow`: TLS when the server offers it, else a plain connection. */
  plainIfNoTls: boolean;
  /** The mode that applies, for messages. */
  sslmode: SslMode | undefined;
  /** host:port (or the socket) it connects to, for messages. */
  where: string;
}

export class PgUrlProblem extends Error {}

/** The connection for `url`, or PgUrlProblem saying what in it cannot work. */
export function pgConnection(url: string, env: NodeJS.ProcessEnv): PgConnection {
  const parsed = new URL(url);
  const params = parsed.searchParams;
  let hostname: string;
  try {
    hostname = decodeURIComponent(parsed.hostname.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    throw new PgUrlProblem(`the host ${JSON.stringify(parsed.hostname)} cannot be read: a % in it must start a percent-encoded character`);
  }
  const given = params.get('sslmode') ?? env.PGSSLMODE ?? undefined;
  const host = hostname || params.get('host') || env.PGHOST || 'localhost';
  const port = parsed.port || params.get('port') || env.PGPORT || '5432';
  const where = host.startsWith('/') ? `the socket in ${host}` : `${host}:${port}`;
  if (given === undefined || given === '') return { connectionString: url, plainIfNoTls: false, sslmode: undefined, where };
  if (!(SSL_MODES as readonly string[]).includes(given)) {
    throw new PgUrlProblem(`sslmode=${given} is not a mode PostgreSQL knows: use disable, prefer, require, verify-ca or verify-full`);
  }
  const sslmode = given as SslMode;
  if (sslmode === 'verify-ca' && !params.get('sslrootcert')) {
    throw new PgUrlProblem("sslmode=verify-ca needs the certificate of the authority that signed the server's: add sslrootcert=/path/to/root.crt (or use verify-full)");
  }
  const libpq: Record<SslMode, string> = { disable: 'disable', allow: 'prefer', prefer: 'prefer', require: 'require', 'no-verify': 'require', 'verify-ca': 'verify-ca', 'verify-full': 'verify-full' };
  const rewritten = new URL(url);
  rewritten.searchParams.set('sslmode', libpq[sslmode]);
  rewritten.searchParams.set('uselibpqcompat', 'true');
  return { connectionString: rewritten.toString(), plainIfNoTls: sslmode === 'prefer' || sslmode === 'allow', sslmode, where };
}

/** The same connection without TLS: a `prefer` whose server offers none. */
export function withoutTls(connection: PgConnection): PgConnection {
  const plain = new URL(connection.connectionString);
  plain.searchParams.set('sslmode', 'disable');
  return { ...connection, connectionString: plain.toString(), plainIfNoTls: false };
}

export const NO_TLS_MESSAGE = 'The server does not support SSL connections';

// Node's TLS verification failures (tls.TLSSocket's authorizationError codes).
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Why connecting failed, in words a user can act on, naming the server by host and port (never
 * the password: neither node-postgres's errors nor these carry it), and what to check first.
 */
export function connectFailure(err: unknown, connection: PgConnection, timeoutMs: number): { reason: string; hint: string } {
  const e = err as { code?: string; message?: string; address?: string; port?: number; hostname?: string; path?: string; syscall?: string };
  const message = e?.message ?? String(err);
  const where = e.address && e.port ? `${e.address}:${e.port}` : connection.where;
  const urlHint = 'check the host and port in the URL (--db / BOXOFFICE_DB)';
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOENT':
      if (e.code === 'ENOENT' && e.syscall === 'open') {
        return { reason: `cannot read ${e.path ?? 'a certificate file'} named in the URL (no such file)`, hint: 'check the sslrootcert, sslcert and sslkey paths in the URL' };
      }
      return { reason: `nothing accepts connections at ${where} (connection refused)`, hint: `check that the PostgreSQL server runs and listens on ${where}; ${urlHint}` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: `the host ${e.hostname ?? connection.where} is not known (DNS: ${e.code})`, hint: "check the host name in the URL, and this computer's network" };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { reason: `no answer from ${where} (${e.code})`, hint: `check the network and any firewall between this computer and ${where}; ${urlHint}` };
    case 'ECONNRESET':
      return { reason: `${where} closed the connection (${e.code})`, hint: `check that ${where} is a PostgreSQL server, and its log` };
    case '28P01':
      return { reason: message, hint: 'check the user name and password (in the URL, or PGPASSWORD)' };
    case '28000':
      if (/no encryption/.test(message)) return { reason: message, hint: 'this server takes this user only over TLS: add ?sslmode=require to the URL' };
      if (/^role ".*" does not exist$/.test(message)) {
        return { reason: message, hint: 'check the user name in the URL, or create the user on the server (README, "Many terminals on many computers": create user … password …)' };
      }
      return { reason: message, hint: "the server's pg_hba.conf does not let this user connect from this computer: ask its administrator" };
    case '3D000':
      return { reason: message, hint: 'create the database first (README, "Many terminals on many computers"), or check its name in the URL' };
    case '53300':
    case '57P03':
      return { reason: message, hint: 'the server cannot take this connection now: try again in a moment' };
  }
  if (e.code && CERTIFICATE_CODES.has(e.code)) {
    return {
      reason: `the server's TLS certificate could not be verified (sslmode=${connection.sslmode ?? 'verify-full'}): ${message}`,
      hint: 'give the certificate of the authority that signed it with sslrootcert=/path/to/root.crt, or use sslmode=require to encrypt without verifying it (as psql does)',
    };
  }
  if (message === NO_TLS_MESSAGE) {
    return {
      reason: `the server at ${where} does not accept TLS connections, and sslmode=${connection.sslmode} asks for one`,
      hint: 'turn ssl on in the server, or use sslmode=prefer (TLS when the server offers it) or sslmode=disable',
    };
  }
  if (message === 'Connection terminated unexpectedly') {
    return { reason: `${where} closed the connection before it was ready`, hint: `check that ${where} is a PostgreSQL server, and its log` };
  }
  if (/timeout/i.test(message)) {
    return { reason: `no answer from ${where} within ${Math.round(timeoutMs / 1000)} s`, hint: `check that the PostgreSQL server runs at ${where}, the network and any firewall; ${urlHint}` };
  }
  if (/client password must be a string/.test(message)) {
    return { reason: `the server asks for a password and none was given`, hint: 'give it in the URL (postgres://user:password@host/db) or in PGPASSWORD' };
  }
  return { reason: message, hint: 'check the URL, that the server runs and that it accepts this user' };
}
