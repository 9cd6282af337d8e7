// A Kysely driver for better-sqlite3 that differs from Kysely's own in two ways:
// transactions open with BEGIN IMMEDIATE, so several processes sharing one file queue for the
// write lock up front instead of failing on a read-to-write lock upgrade (kysely#1152), and
// prepared statements are cached, since a sale runs the same few statements every time.
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from './kysely.js';
import { WakeFile } from './wake-file.js';
import type { CompiledQuery as CompiledQueryType, DatabaseConnection, Dialect, Driver, Kysely, QueryResult } from 'kysely';

const STATEMENT_CACHE_SIZE = 200;

/** Called just before a write commits: a COMMIT, or a write outside any transaction. */
export type OnSave = () => void;

class Connection implements DatabaseConnection {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly onSave: OnSave | undefined,
  ) {}

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let stmt = this.#statements.get(sqlText);
    if (!stmt) {
      stmt = this.sqlite.prepare(sqlText);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value as string;
        this.#statements.delete(oldest);
      }
      this.#statements.set(sqlText, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(query: CompiledQueryType): Promise<QueryResult<R>> {
    const stmt = this.#prepare(query.sql);
    const params = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(...params) as R[] };
    // A write outside a transaction commits as it runs (BEGIN and COMMIT count as read-only).
    if (!stmt.readonly && !this.sqlite.inTransaction) this.onSave?.();
    const { changes, lastInsertRowid } = stmt.run(...params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(query: CompiledQueryType): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('only SELECT queries can be streamed');
    // A fresh statement: an iterating statement is busy and cannot be shared with the cache.
    const stmt = this.sqlite.prepare(query.sql);
    for (const row of stmt.iterate(...(query.parameters as unknown[]))) yield { rows: [row as R] };
  }
}

/** One connection, one user at a time (better-sqlite3 is synchronous; Kysely's API is not). */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class ImmediateSqliteDriver implements Driver {
  readonly #connection: Connection;
  readonly #mutex = new Mutex();
  #release: (() => void) | undefined;

  constructor(
    sqlite: BetterSqlite3.Database,
    readonly busyTimeoutMs: number,
    onSave: OnSave | undefined,
  ) {
    this.#connection = new Connection(sqlite, onSave);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await takeWriteLock((connection as Connection).sqlite, this.busyTimeoutMs);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // Told before the COMMIT runs, in the same synchronous step: no signal handler can run
    // between the two, so whoever asks sees a commit the moment it may have happened.
    (connection as Connection).onSave?.();
    await connection.executeQuery(CompiledQuery.raw('commit'));
    lockReleased((connection as Connection).sqlite, true);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
    lockReleased((connection as Connection).sqlite, false);
  }
  async destroy(): Promise<void> {
    contentionOf(this.#connection.sqlite).wakeFile?.close();
    this.#connection.sqlite.close();
  }
}

/**
 * BEGIN IMMEDIATE, waiting our own way. SQLite's busy handler sleeps in growing steps (up to
 * 100 ms), so under contention one waiter can lose the race again and again and a sale waits
 * seconds. Here every waiter retries every millisecond or so with a little jitter, and sooner
 * when the process releasing the lock wakes it (wake-file.ts): the lock is held for about a
 * millisecond per sale, so waits stay short and no one starves. The event loop stays free while
 * waiting (a terminal keeps redrawing).
 */
async function takeWriteLock(sqlite: BetterSqlite3.Database, timeoutMs: number): Promise<void> {
  const begin = beginStatement(sqlite);
  const deadline = Date.now() + timeoutMs;
  const contention = contentionOf(sqlite);
  // Politeness: a process that just committed, while others were recently queuing, lets them go
  // first instead of re-taking the lock before they wake. Alone, a process never waits here.
  if (performance.now() - contention.lastCommit < 1 && performance.now() - contention.lastBusy < 250) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // Set each time, never from a cached statement: SQLite applies a pragma when the statement is
  // prepared, so the first run of a cached one changed nothing, and a connection's first write
  // transaction waited in SQLite's own busy handler instead of here.
  sqlite.pragma('busy_timeout = 0');
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    for (;;) {
      try {
        // A refused attempt is routine here: no stack trace to capture, on a machine where the
        // process holding the lock wants the CPU.
        Error.stackTraceLimit = 0;
        begin.run();
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
        contention.lastBusy = performance.now();
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      const retryMs = Math.random() < 0.5 ? 0 : 1;
      await (contention.wakeFile ? contention.wakeFile.sleep(retryMs) : new Promise((resolve) => setTimeout(resolve, retryMs)));
    }
  } finally {
    sqlite.pragma(`busy_timeout = ${Math.floor(timeoutMs)}`);
  }
}

interface Contention {
  /** When this connection last found the write lock taken, and last committed. */
  lastBusy: number;
  lastCommit: number;
  /** How waiting processes are woken (see wake-file.ts); none for an in-memory database. */
  wakeFile: WakeFile | undefined;
}

const contentionCache = new WeakMap<BetterSqlite3.Database, Contention>();

function contentionOf(sqlite: BetterSqlite3.Database): Contention {
  let c = contentionCache.get(sqlite);
  if (!c) {
    const wakeFile = sqlite.memory || !sqlite.name ? undefined : new WakeFile(`${sqlite.name}-wake`);
    contentionCache.set(sqlite, (c = { lastBusy: -Infinity, lastCommit: -Infinity, wakeFile }));
  }
  return c;
}

/** After COMMIT or ROLLBACK: if others have been queuing for the lock lately, wake them now. */
function lockReleased(sqlite: BetterSqlite3.Database, committed: boolean): void {
  const contention = contentionOf(sqlite);
  const now = performance.now();
  if (committed) contention.lastCommit = now;
  if (now - contention.lastBusy < 250) contention.wakeFile?.wake();
}

const beginStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/** Prepared once per connection: a sale should not pay to parse it each time. */
function beginStatement(sqlite: BetterSqlite3.Database): BetterSqlite3.Statement {
  let begin = beginStatements.get(sqlite);
  if (!begin) beginStatements.set(sqlite, (begin = sqlite.prepare('begin immediate')));
  return begin;
}

export class ImmediateSqliteDialect implements Dialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly busyTimeoutMs = 15_000,
    private readonly onSave?: OnSave,
  ) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver() {
    return new ImmediateSqliteDriver(this.sqlite, this.busyTimeoutMs, this.onSave);
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}
