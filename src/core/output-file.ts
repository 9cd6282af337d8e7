// Files written for people — ticket PDFs, exports, backups — all go through here, so every
// command keeps the same rules:
// - never through a symbolic link, never into a FIFO, device or folder: a link would let whoever
//   made it choose what gets overwritten, and a FIFO would hang the command or feed another program;
// - an existing file only with --force (already_exists without), and never half-replaced: the new content
//   goes to a temp file beside the target, is flushed to disk, checked by the writer, and renamed
//   over the target, and the folder is flushed so the rename survives a power cut;
// - private (0600): a PDF holds valid ticket codes, an export personal data, a backup everything;
// - a place that cannot be written (no folder, no permission, read-only) is invalid_input,
//   naming the path and the system's reason, before any work is done.
// Temp files are named `.<name>.boxoffice-partial-<pid>-<n>`: removed on failure, on SIGINT/SIGTERM and
// at exit; those a killed process left behind are removed by the next write into that folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { BoxofficeError, invalid } from './errors.js';

export interface OutputOptions {
  /** Replace an existing regular file. */
  force?: boolean;
}

export interface WrittenFile<T> {
  /** The absolute path written. */
  file: string;
  bytes: number;
  result: T;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
};

// The place itself cannot be written, and the user must name another (invalid_input). Anything
// else (a full disk, an I/O error) is a failure of the machine (a plain Error), still in one line.
const REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/** A failure to write `file` as its user should read it: the path and the system's reason. */
export function outputError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof BoxofficeError || typeof code !== 'string' || !Object.hasOwn(REASONS, code)) return err instanceof Error ? err : new Error(String(err));
  const message = `cannot write ${file}: ${REASONS[code]} (${code})`;
  return REFUSALS.has(code) ? invalid(message) : new Error(message);
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}

// The open database's own files (its -wal, -shm and wake file too), by path and by inode: no
// output may replace them, not even with --force (a PDF written over the database is the box office
// gone). Registered by whoever opens a database file.
const protectedPaths = new Set<string>();

/** Marks `file` as never to be written as an output (the open database and the files beside it). */
export function protectFromOutput(file: string): void {
  protectedPaths.add(path.resolve(file));
}

function isProtected(target: string, st: fs.Stats): boolean {
  if (protectedPaths.has(target)) return true;
  for (const file of protectedPaths) {
    const other = fs.statSync(file, { throwIfNoEntry: false });
    if (other && other.dev === st.dev && other.ino === st.ino) return true;
  }
  return false;
}

/** What is at `target` now may be replaced by a new file (see the rules above). */
function checkExisting(file: string, target: string, options: OutputOptions): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (protectedPaths.has(target)) throw invalid(`cannot write ${file}: it is where the box office's database keeps its own data`, 'choose another name');
      return;
    }
    throw outputError(file, err);
  }
  if (st.isSymbolicLink()) throw invalid(`${file} is a symbolic link: not writing through it`, 'name the file itself, or remove the link first');
  if (st.isDirectory()) throw invalid(`cannot write ${file}: it is a folder`, 'name a file in it');
  if (!st.isFile()) throw invalid(`cannot write ${file}: it is not a regular file (${kindOf(st)})`, 'name a regular file');
  if (isProtected(target, st))
    throw invalid(`cannot write ${file}: it is the box office's database (or one of its files), not to be replaced even when asked to`, 'choose another name').because('output_is_database', { file });
  if (!options.force) throw new BoxofficeError('already_exists', `${file} already exists`).because('output_exists', { file });
}

/**
 * Checks, before any work is done, that `file` may be written: its folder exists and is
 * writable, and nothing is there that must not be replaced. Returns its absolute path.
 */
export function checkOutputTarget(file: string, options: OutputOptions = {}): string {
  if (file.trim() === '') throw invalid('the output file name is empty');
  const target = path.resolve(file);
  const dir = path.dirname(target);
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch (err) {
    // A folder that is not there (a USB stick not mounted) must not quietly become a local one.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw invalid(`cannot write ${file}: the folder ${dir} does not exist`, 'create (or mount) it first');
    throw outputError(file, err);
  }
  if (!folder.isDirectory()) throw invalid(`cannot write ${file}: ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw outputError(file, err);
  }
  checkExisting(file, target, options);
  return target;
}

// --- temp files ----------------------------------------------------------------------------

const TEMP_MARK = '.boxoffice-partial-';
// Ours, with the pid that wrote it, and what a writer (SQLite) may have made beside it. The
// second form is the name older versions gave a ticket PDF being written.
const TEMP_NAMES = [/^\..+\.boxoffice-partial-(\d+)(?:-\d+)?(?:-journal|-wal|-shm)?$/, /^\..+\.pdf\.(\d+)\.partial$/];
/** Numbers this process's temp files, so two writes to one target at once never share one. */
let tempSerial = 0;

/** The temp files of this process not yet renamed or removed. */
const live = new Set<string>();

/** True when a process with this id runs (possibly another user's). */
function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeTemp(temp: string): void {
  live.delete(temp);
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${temp}${suffix}`, { force: true });
  if (live.size === 0) unwatchSignals();
}

function removeLive(): void {
  for (const temp of [...live]) {
    try {
      removeTemp(temp);
    } catch {
      // Leaving: the next run removes what could not be removed now.
    }
  }
}

let leaveOnSignal: ((code: number) => void) | undefined;

/** How to end the process on a stop signal that nothing else handles: the front's (src/main.ts ends it). */
export function leaveOnStopSignal(leave: (code: number) => void): void {
  leaveOnSignal = leave;
}

function onSignal(signal: NodeJS.Signals): void {
  // A command with handlers of its own decides how to leave; alone, leave as the signal would.
  const alone = process.listenerCount(signal) === 1;
  removeLive();
  if (!alone) return;
  if (leaveOnSignal) return leaveOnSignal(signal === 'SIGINT' ? 130 : 143);
  unwatchSignals();
  process.kill(process.pid, signal);
}

let watching = false;

function watchSignals(): void {
  if (watching) return;
  watching = true;
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('exit', removeLive);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('exit', removeLive);
}

/**
 * Removes what processes no longer running (killed, or a power cut) left in `dir`: the entries
 * `pidOf` recognises as ours by name, with the pid that made them, and owned by this user; for
 * this process's own pid, only those `inUse` does not claim.
 */
export function removeLeftovers(dir: string, pidOf: (name: string) => number | undefined, inUse: (entry: string) => boolean, folders = true): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = pidOf(name);
    if (!pid) continue;
    const entry = path.join(dir, name);
    if (pid === process.pid ? inUse(entry) : processRunning(pid)) continue;
    try {
      const st = fs.lstatSync(entry);
      if ((st.isFile() || (folders && st.isDirectory())) && (uid === undefined || st.uid === uid)) fs.rmSync(entry, { recursive: st.isDirectory(), force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** Removes the temp files in `dir` of writes that never finished (see removeLeftovers). */
function removeStaleTemps(dir: string): void {
  removeLeftovers(
    dir,
    (name) => Number(TEMP_NAMES.map((re) => re.exec(name)?.[1]).find(Boolean)) || undefined,
    (entry) => [...live].some((temp) => entry.startsWith(temp)),
    // A temp file is a file: a folder of that name is someone else's.
    false,
  );
}

function fsyncPath(file: string, flags: number): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (the rename); some systems cannot, and then the rename stands as is. */
function fsyncFolder(dir: string): void {
  try {
    fsyncPath(dir, fs.constants.O_RDONLY);
  } catch {
    // EINVAL/EISDIR where folders cannot be flushed.
  }
}

const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Writes `file` whole or not at all. `write` fills the temp file at the path it is given (created
 * empty and private; a writer that opens it again should not follow links: `outputStream`), and
 * may throw to discard it (a copy that fails its check). The temp file is then flushed and renamed
 * over the target. Nothing is changed at `file` unless everything succeeded.
 */
export async function writeOutputFile<T>(file: string, options: OutputOptions, write: (temp: string) => Promise<T>): Promise<WrittenFile<T>> {
  const target = checkOutputTarget(file, options);
  const dir = path.dirname(target);
  removeStaleTemps(dir);
  const temp = path.join(dir, `.${path.basename(target)}${TEMP_MARK}${process.pid}-${++tempSerial}`);
  try {
    fs.closeSync(fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NO_FOLLOW, 0o600));
  } catch (err) {
    throw outputError(file, err);
  }
  live.add(temp);
  watchSignals();
  try {
    const result = await write(temp);
    fsyncPath(temp, fs.constants.O_RDONLY | NO_FOLLOW);
    // Again: something may have appeared there while we wrote.
    checkExisting(file, target, options);
    fs.renameSync(temp, target);
    removeTemp(temp); // what a writer left beside it (SQLite's -journal), and the signal handlers
    fsyncFolder(dir);
    return { file: target, bytes: fs.statSync(target).size, result };
  } catch (err) {
    try {
      removeTemp(temp);
    } catch {
      // The next write into this folder removes it.
    }
    // Only a failure at this place is worded as one (a missing font file is not about `file`).
    const at = (err as NodeJS.ErrnoException).path;
    throw at === undefined || at.startsWith(temp) || at === target ? outputError(file, err) : err;
  }
}

/** A stream into a temp file of `writeOutputFile` (opened again without following links). */
function outputStream(temp: string): fs.WriteStream {
  // The stream owns the descriptor and closes it when it ends or is destroyed.
  return fs.createWriteStream(temp, { fd: fs.openSync(temp, fs.constants.O_WRONLY | NO_FOLLOW) });
}

/**
 * `writeOutputFile` for a writer that takes a stream: `write` writes to it (and may end it); the
 * stream is ended and its errors (a full disk) fail the write.
 */
export async function writeOutputStream<T>(file: string, options: OutputOptions, write: (out: Writable) => Promise<T>): Promise<WrittenFile<T>> {
  return writeOutputFile(file, options, async (temp) => {
    const out = outputStream(temp);
    // Any error of the stream fails the write, whenever it comes.
    const failed = finished(out);
    failed.catch(() => undefined);
    try {
      const result = await Promise.race([write(out), failed.then(() => new Promise<never>(() => undefined))]);
      if (!out.writableEnded) out.end();
      await failed;
      return result;
    } finally {
      out.destroy();
    }
  });
}
