// The feed POSTed to an HTTP endpoint. Node's own http/https client rather than fetch, because
// every part of an attempt must be bounded: one timer covers connecting, the answer's head and
// the little of its body we read, and no answer is read past a few KiB (a receiver that answers
// with gigabytes must not take the exporter's memory).
import http from 'node:http';
import https from 'node:https';
import { BoxofficeError } from '../errors.js';
import { printable } from '../text.js';
import { abortableSleep, TargetClosed, type SyncTarget } from './targets.js';

export interface HttpOptions {
  /** Attempts per batch before giving up; 0 retries for ever (what --follow wants). */
  attempts?: number;
  /** The first wait; each retry waits twice as long, up to `maxDelayMs`. */
  backoffMs?: number;
  maxDelayMs?: number;
  /** How long one attempt may take, from connecting to the end of the answer we read. */
  timeoutMs?: number;
  /** Told about each failed attempt and the wait before the next. */
  onRetry?: (info: { attempt: number; error: string; waitMs: number }) => void;
}

const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
/** Of any answer, only this much is read: enough for an error message. */
const ANSWER_BYTES = 4096;
/** 307/308 hops followed per attempt before it counts as failed (a redirect loop). */
const MAX_REDIRECTS = 5;

interface Answer {
  status: number;
  location?: string;
  /** The start of the body (at most ANSWER_BYTES). */
  text: string;
}

/** An attempt that failed in a way worth retrying; its message is what the operator reads. */
class AttemptFailed extends Error {}

/** The URL as it may be shown: without a password. */
function shown(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

/** A receiver's answer as one line, its control characters shown as escapes (never obeyed by the terminal). */
const oneLineOf = (text: string) => printable(text.replace(/\s+/g, ' ').trim(), { oneLine: true });

/**
 * One POST, no redirects followed. Resolves with the status once the answer's head is in and its
 * body ended or ANSWER_BYTES of it were read (the rest is discarded with the connection). A 2xx
 * whose body stalls still counts: the status is the receipt.
 */
function postOnce(url: URL, body: Buffer, headers: Record<string, string>, agent: http.Agent, deadline: { at: number; ms: number }, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Once the head is in, the status stands, whatever cut the body short.
      if (answer) resolve({ ...answer, text: oneLineOf(Buffer.concat(chunks).toString('utf8')) });
      else reject(error);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      answer = { status: res.statusCode ?? 0, location: res.headers.location, text: '' };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk.subarray(0, ANSWER_BYTES - size));
        size += Math.min(chunk.length, ANSWER_BYTES - size);
        if (size >= ANSWER_BYTES) {
          // Enough read: the rest is not wanted, and the connection cannot be reused with it pending.
          res.destroy();
          settle();
        }
      });
      res.on('end', () => settle());
      res.on('error', (err) => settle(err));
      res.on('close', () => settle());
    });
    const onAbort = () => {
      req.destroy();
      settle(new TargetClosed('interrupted'));
    };
    // One deadline for the whole attempt, redirects included.
    const timer = setTimeout(
      () => {
        req.destroy();
        settle(new AttemptFailed(`no answer within ${deadline.ms / 1000} s`));
      },
      Math.max(0, deadline.at - Date.now()),
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => settle(err));
    req.end(body);
  });
}

/**
 * POSTs the body, following 307 and 308 (which keep the method and body). Other redirects are
 * failures: a 301/302/303 would turn the POST into a GET without the events, and the receiver
 * that answers it has received nothing.
 */
async function postFollowing(start: URL, body: Buffer, headers: Record<string, string>, agent: (url: URL) => http.Agent, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let url = start;
  const deadline = { at: Date.now() + timeoutMs, ms: timeoutMs };
  for (let hops = 0; ; hops++) {
    const answer = await postOnce(url, body, headers, agent(url), deadline, signal);
    const { status, location } = answer;
    if (status >= 200 && status < 300) return;
    if (status >= 300 && status < 400) {
      if (!location) throw new AttemptFailed(`HTTP ${status} without a Location`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new AttemptFailed(`HTTP ${status} to an unreadable Location ${JSON.stringify(oneLineOf(location))}`);
      }
      if (status !== 307 && status !== 308) {
        throw new AttemptFailed(`HTTP ${status} redirect to ${shown(next)} (only 307 and 308 are followed: a ${status} would turn the POST into a GET without the events; use the new address)`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new AttemptFailed(`HTTP ${status} redirect to ${next.protocol} (only http and https)`);
      if (url.protocol === 'https:' && next.protocol === 'http:') throw new AttemptFailed(`HTTP ${status} redirect from https to ${shown(next)} refused: the events would travel unencrypted`);
      if (hops >= MAX_REDIRECTS) throw new AttemptFailed(`too many redirects (more than ${MAX_REDIRECTS}, last to ${shown(next)})`);
      url = next;
      continue;
    }
    throw new AttemptFailed(`HTTP ${status}${answer.text ? `: ${answer.text.slice(0, 200)}` : ''}`);
  }
}

/** POSTs each batch as newline-delimited JSON; anything but a 2xx from the endpoint is retried with exponential backoff. */
export function httpTarget(url: string, options: HttpOptions = {}): SyncTarget {
  const attempts = options.attempts ?? 8;
  const backoff = options.backoffMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const timeout = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const start = new URL(url);
  const name = shown(start);
  // Connections are kept between batches, one at a time (batches go in order anyway).
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 1 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 1 }) };
  const agentFor = (u: URL) => agents[u.protocol as keyof typeof agents];
  return {
    name,
    async deliver(lines, signal) {
      const body = Buffer.from(`${lines.join('\n')}\n`);
      const headers = { 'content-type': 'application/x-ndjson', 'x-boxoffice-events': String(lines.length) };
      for (let attempt = 1; ; attempt++) {
        let error: string;
        try {
          return await postFollowing(start, body, headers, agentFor, timeout, signal);
        } catch (err) {
          if (err instanceof TargetClosed || signal?.aborted) throw new TargetClosed('interrupted');
          error = err instanceof AttemptFailed ? err.message : ((err as NodeJS.ErrnoException).code ?? (err as Error).message);
        }
        if (attempts > 0 && attempt >= attempts) {
          throw new BoxofficeError('delivery_failed', `POST ${name} failed ${attempt} times; last: ${error}`, 'the cursor stays at the last delivered event: run the export again to resume');
        }
        // Exponential backoff with a little jitter, so several exporters do not retry in step.
        const base = Math.min(maxDelay, backoff * 2 ** (attempt - 1));
        const waitMs = Math.round(base * (0.8 + Math.random() * 0.4));
        options.onRetry?.({ attempt, error, waitMs });
        await abortableSleep(waitMs, signal);
        if (signal?.aborted) throw new TargetClosed('interrupted');
      }
    },
    async close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
