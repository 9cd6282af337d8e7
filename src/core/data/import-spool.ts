// An import's scratch files: the writes its plan will make, one JSON value a line, and a copy of
// standard input (which can be read only once, and an import reads its file again if the data
// changed while it planned). They let an import of any size check everything before it writes,
// and write everything in one transaction, without holding the file's rows in memory. They hold
// people's data (leads' emails), so they live in a directory only this user can read, and are
// removed when the import ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { removeLeftovers } from '../output-file.js';

const FLUSH_AT = 1 << 16;

/** Appends JSON values to one scratch file. */
export class SpoolWriter<T> {
  #fd: number | undefined;
  #buffer = '';
  count = 0;

  constructor(readonly file: string) {
    this.#fd = fs.openSync(file, 'w', 0o600);
  }

  write(value: T): void {
    this.#buffer += `${JSON.stringify(value)}\n`;
    this.count++;
    if (this.#buffer.length >= FLUSH_AT) this.#flush();
  }

  #flush(): void {
    if (this.#fd === undefined) throw new Error(`${this.file} is closed`);
    fs.writeSync(this.#fd, this.#buffer);
    this.#buffer = '';
  }

  /** Writes what is buffered and closes the file; it can then be read with `readSpool`. */
  close(): void {
    if (this.#fd === undefined) return;
    this.#flush();
    fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** The values of a scratch file, in the order they were written. */
export async function* readSpool<T>(file: string): AsyncGenerator<T> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: FLUSH_AT })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield JSON.parse(text.slice(start, end)) as T;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest) yield JSON.parse(rest) as T;
}

// Every spool not yet removed: a command stopped by a signal removes them before it exits
// (scratch files may hold people's names and emails).
const liveSpools = new Set<Spool>();

/** Removes every scratch directory of this process now (for a signal handler). */
export function removeAllSpools(): void {
  for (const spool of liveSpools) spool.remove();
}

const PREFIX = 'boxoffice-import-';
const SPOOL_NAME = /^boxoffice-import-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Removes the scratch directories that imports no longer running left behind (killed with
 * SIGKILL, or a power cut): they hold people's emails. Only this user's, only ours by name.
 */
export function removeStaleSpools(): void {
  removeLeftovers(
    os.tmpdir(),
    (name) => Number(SPOOL_NAME.exec(name)?.[1]) || undefined,
    (entry) => [...liveSpools].some((spool) => spool.dir === entry),
  );
}

/** A private directory of scratch files for one import. */
export class Spool {
  readonly dir: string;
  #files = 0;

  constructor() {
    removeStaleSpools();
    // mkdtemp makes the directory readable by its owner only (0700). The pid in the name tells a
    // later import whether the process that made it still runs.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
    liveSpools.add(this);
  }

  /** A new scratch file, named for what it holds. */
  writer<T>(what: string): SpoolWriter<T> {
    return new SpoolWriter<T>(path.join(this.dir, `${++this.#files}-${what}.ndjson`));
  }

  /** Copies a stream (standard input: it can be read only once) to a scratch file; its path. */
  async copy(stream: NodeJS.ReadableStream, what: string): Promise<string> {
    const file = path.join(this.dir, `${++this.#files}-${what}`);
    await pipeline(stream, fs.createWriteStream(file, { mode: 0o600 }));
    return file;
  }

  remove(): void {
    liveSpools.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
