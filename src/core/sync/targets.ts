// Where the feed goes: a stream (stdout), a file (appended), or an HTTP endpoint (POSTed with
// retries, in http-target.ts). `deliver` resolves only once the lines are delivered; the exporter
// moves a consumer's cursor past them only then.
import fs from 'node:fs';
import type { Writable } from 'node:stream';

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
 * batch was never acknowledged (the cursor is still before it), so it is cut off here and sent again.
 */
function dropPartialLine(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const n = fs.readSync(fd, buf, 0, end - start, start);
      const nl = buf.subarray(0, n).lastIndexOf(10);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep !== size) fs.ftruncateSync(fd, keep);
        return;
      }
      end = start;
    }
    if (size > 0) fs.ftruncateSync(fd, 0);
  } finally {
    fs.closeSync(fd);
  }
}

export function fileTarget(file: string): SyncTarget {
  // Opened (and a torn last line trimmed) when the first lines arrive: by then the exporter has
  // taken its consumer, so an export that is refused never touches a file another one writes.
  let fd: number | undefined;
  const open = (): number => {
    if (fd === undefined) {
      dropPartialLine(file);
      fd = fs.openSync(file, 'a', 0o600);
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
