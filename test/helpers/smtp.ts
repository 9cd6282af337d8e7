// A real SMTP server in the test process (smtp-server), keeping every message it is given, parsed
// with mailparser. It can refuse the first N messages (451, try again later) or answer slowly.
import net from 'node:net';
import { spawn } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { BIN, type CliResult } from './cli.js';

export interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  mail: ParsedMail;
}

export interface TestSmtp {
  port: number;
  url: string;
  /** Messages accepted. */
  messages: Received[];
  /** Message-IDs of every DATA the server saw, refused ones included. */
  attempts: string[];
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (nothing listens on it when this returns). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startSmtp(options: { port?: number; refuseFirst?: number; delayMs?: number } = {}): Promise<TestSmtp> {
  const messages: Received[] = [];
  const attempts: string[] = [];
  let refusals = options.refuseFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          attempts.push(mail.messageId ?? '');
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          if (refusals > 0) {
            refusals--;
            const err = Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 });
            return callback(err);
          }
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            mail,
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as net.AddressInfo).port;
  return {
    port: actual,
    url: `smtp://box:secret@127.0.0.1:${actual}`,
    messages,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs the real binary without blocking this process, so the in-process SMTP server can answer it
 * (spawnSync would stall the server and the CLI together).
 */
export function runAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      let json: any;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr: Buffer.concat(err).toString('utf8'), json });
    });
  });
}
