// Where the feed goes: a stream (stdout), a file (appended), or an HTTP endpoint (POSTed with
// retries, in http-target.ts). `deliver` resolves only once the lines are delivered; the exporter
// moves a consumer's cursor past them only then.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { invalid } from '../errors.js';
import { outputError } from '../output-file.js';

export interface SyncTarget {
  /** For messages: `stdout`, the file's path, the URL. */
  readonly name: string;
  /** Delivers the lines (each one CloudEvent, no trailing newline) in order. */
  deliver(lines: string[], signal?: AbortSignal): Promise<void>;
  /** Makes what was delivered durable (a file: fdatasync) before the cursor moves past it. */
  sync?(): void;
  close(): Promise<void>;
}

/** The reader went away (e.g. `sync export | head`): not an error, the export just stops. */
export class TargetClosed extends Error {}

export function streamTarget(out: Writable, name = 'stdout'): SyncTarget {
  return {
    name,
    deliver(lines) {
      return new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => reject(err.code === 'EPIPE' ? new TargetClosed(name) : err);
        out.once('error', onError);
        out.write(`${lines.join('\n')}\n`, (err) => {
          out.off('error', onError);
          if (err) onError(err as NodeJS.ErrnoException);
          else resolve();
        });
      });
    },
    async close() {},
  };
}

/**
 * A process killed in the middle of a write can leave half a line at the end of the file. That
 * batch was never acknowledged (the cursor is still before it), so it is cut off here and sent
 * again. Only a torn feed line (it starts with `{`) is cut: a file whose last line is something
 * else is not ours to trim, and is refused.
 */
function dropPartialLine(fd: number, file: string): void {
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(64 * 1024);
  let end = size;
  let keep = 0;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const n = fs.readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(10);
    if (nl >= 0) {
      keep = start + nl + 1;
      break;
    }
    end = start;
  }
  if (keep === size) return;
  const first = Buffer.alloc(1);
  fs.readSync(fd, first, 0, 1, keep);
  if (first[0] !== 0x7b) {
    throw invalid(`${file} does not end with a whole line of the feed: not appending to it`, 'name a new file, or the file an earlier sync export wrote');
  }
  fs.ftruncateSync(fd, keep);
}

/**
 * Opens the feed file to append to: never through a symbolic link, never a FIFO or device (a FIFO
 * would hang the export beyond Ctrl-C's reach), created private (0600).
 */
function openFeedFile(file: string): number {
  const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw invalid(`${file} is a symbolic link: not writing through it`, 'name the file itself, or remove the link first');
    throw outputError(file, err);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw invalid(`cannot append to ${file}: it is not a regular file`, 'name a regular file');
    dropPartialLine(fd, file);
    return fd;
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

export function fileTarget(file: string): SyncTarget {
  // Opened (and a torn last line trimmed) when the first lines arrive: by then the exporter has
  // taken its consumer, so an export that is refused never touches a file another one writes.
  let fd: number | undefined;
  const open = (): number => {
    if (fd === undefined) {
      fd = openFeedFile(file);
    }
    return fd;
  };
  return {
    name: file,
    async deliver(lines) {
      const out = open();
      const buf = Buffer.from(`${lines.join('\n')}\n`);
      let off = 0;
      while (off < buf.length) off += fs.writeSync(out, buf, off);
    },
    sync() {
      if (fd !== undefined) fs.fdatasyncSync(fd);
    },
    async close() {
      if (fd === undefined) return;
      fs.fdatasyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
    },
  };
}

/** Waits `ms`, or less if the signal aborts meanwhile. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
