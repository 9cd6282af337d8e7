// `boxoffice sync export`: the outbox, in order, to a target. A named consumer's cursor lives in
// the database and moves only past lines the target accepted, so delivery is at-least-once,
// in order and resumable after a crash; cursor writes are batched so the feed streams at full speed.
// One exporter at a time takes a consumer (a lease it renews while it runs), since two reading
// from the same cursor would each deliver the same events.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from '../../db/kysely.js';
import { dialectOf } from '../../db/dialect.js';
import type { Queryable } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import { BoxofficeError, invalid, notFound } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { requireRole } from '../staff/permissions.js';
import { numberFeed, OUTBOX_COLUMNS } from '../outbox/outbox.js';
import { ensureFeedSource, envelopeFormatter, feedSource } from './feed.js';
import { abortableSleep, TargetClosed, type SyncTarget } from './targets.js';

function validateConsumerName(input: string): string {
  const name = input.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw invalid(`a consumer name is letters, digits, '.', '_' or '-' (at most 64), not ${JSON.stringify(input)}`);
  }
  return name;
}

export interface SyncExportOptions {
  consumer?: string;
  /** Start after this sequence number (without a consumer). */
  since?: number;
  follow?: boolean;
  target: SyncTarget;
  /** Events read and delivered at a time. */
  batchSize?: number;
  /** How often --follow looks for new events. */
  pollMs?: number;
  /** Save the cursor after at least this many events, or this long, whichever comes first. */
  cursorEvery?: number;
  cursorEveryMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: { delivered: number; position: number; head?: number }) => void;
}

export interface SyncExportResult {
  consumer: string | null;
  source: string;
  target: string;
  from: number;
  position: number;
  delivered: number;
  /** Why it stopped: caught up, interrupted, or the reader went away. */
  stopped: 'caught_up' | 'interrupted' | 'target_closed';
}

/** How long a consumer stays taken by an exporter that stopped renewing its claim (it died). */
export const CONSUMER_LEASE_MS = 60_000;
/** How often a running exporter renews its claim. */
const LEASE_RENEW_MS = 15_000;

// Leases are about processes that are running now, so they run on the clock all terminals share
// (SqlDialect.wallClock: the computer's on SQLite, the database server's on PostgreSQL, whose
// terminals sit on computers with clocks of their own), never the box office's (BOXOFFICE_NOW).
const wallClock = (db: Queryable) => dialectOf(db).wallClock(db);
const leaseUntil = (now: Date) => new Date(now.getTime() + CONSUMER_LEASE_MS).toISOString();

/** The exporter holding a consumer at `now`, or null if none does (never taken, let go, lapsed, dead). */
function leaseHolder(row: { lease_owner: string | null; lease_until: string | null }, now: Date): string | null {
  const held = row.lease_owner !== null && row.lease_until !== null && row.lease_until > now.toISOString();
  return held && !ownerIsGone(row.lease_owner!) ? row.lease_owner : null;
}

/** Who holds a lease, readable in `sync status`; the process id lets a dead holder be told apart. */
function newLeaseOwner(): string {
  return `pid ${process.pid} on ${os.hostname()} (${randomUUID().slice(0, 8)})`;
}

/**
 * An exporter on this machine whose process is gone (killed, crashed) need not be waited for.
 * Only a holder on this host is looked at: a process id means nothing on another computer (one
 * there is waited for until its lease lapses). Containers that share a database must therefore
 * not share a host name: their process ids are not each other's.
 */
function ownerIsGone(owner: string): boolean {
  const match = /^pid (\d+) on (.+) \([0-9a-f]+\)$/.exec(owner);
  if (!match || match[2] !== os.hostname() || Number(match[1]) === process.pid) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the consumer (creating it on first use) for this exporter; returns its cursor.
 * Correct with exporters on many computers by a conditional update whose row count is checked:
 * the lease is taken only `where` it is free (none, lapsed, or held by a process seen dead on
 * this host), and that condition is evaluated again on the row as it is when the update runs
 * (PostgreSQL waits for a concurrent taker to commit, then re-checks), so of two exporters
 * starting at once exactly one updates the row; the other finds it held (consumer_busy).
 */
async function takeConsumer(ctx: CoreContext, name: string, owner: string): Promise<number> {
  const created = nowIso(ctx);
  return writeTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('sync_consumers')
      .values({ name, position: 0, delivered: 0, created_at: created, updated_at: created })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const now = await wallClock(trx);
    const row = await trx.selectFrom('sync_consumers').select(['position', 'lease_owner', 'lease_until']).where('name', '=', name).executeTakeFirstOrThrow();
    const holder = leaseHolder(row, now);
    // The holder read above may be dead on this host: its lease is taken over only if it still holds it.
    const dead = holder === null && row.lease_owner !== null && row.lease_until !== null && row.lease_until > now.toISOString() ? row.lease_owner : null;
    const taken =
      holder === null
        ? await trx
            .updateTable('sync_consumers')
            .set({ lease_owner: owner, lease_until: leaseUntil(now) })
            .where('name', '=', name)
            .where((eb) => {
              const free = [eb('lease_owner', 'is', null), eb('lease_until', 'is', null), eb('lease_until', '<=', now.toISOString())];
              return eb.or(dead === null ? free : [...free, eb('lease_owner', '=', dead)]);
            })
            .returning('position')
            .executeTakeFirst()
        : undefined;
    if (taken) return taken.position;
    const current = holder === null ? await trx.selectFrom('sync_consumers').select(['lease_owner', 'lease_until']).where('name', '=', name).executeTakeFirstOrThrow() : row;
    const by = current.lease_owner ?? 'another exporter';
    throw new BoxofficeError(
      'consumer_busy',
      `consumer ${name} is being exported by another process (${by})`,
      `stop that export first (a process that died on this machine is noticed at once; on another one, its claim lapses at ${current.lease_until})`,
      { owner: by, until: current.lease_until },
    );
  });
}

/** Renews this exporter's claim; false if another exporter took the consumer meanwhile (conditional on the owner, row count checked). */
async function renewLease(ctx: CoreContext, name: string, owner: string): Promise<boolean> {
  const result = await writeTransaction(ctx.db, async (trx) =>
    trx
      .updateTable('sync_consumers')
      .set({ lease_until: leaseUntil(await wallClock(trx)) })
      .where('name', '=', name)
      .where('lease_owner', '=', owner)
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

/** Lets go of the consumer, only if this exporter still holds it (conditional on the owner). */
async function releaseConsumer(ctx: CoreContext, name: string, owner: string): Promise<void> {
  await writeTransaction(ctx.db, (trx) => trx.updateTable('sync_consumers').set({ lease_owner: null, lease_until: null }).where('name', '=', name).where('lease_owner', '=', owner).execute());
}

const lostConsumer = (name: string) => new BoxofficeError('consumer_busy', `consumer ${name} was taken by another exporter while this one stalled`, 'its cursor is kept; run one export per consumer');

/** Streams the outbox after the consumer's cursor (or `since`) to the target. */
export async function runSyncExport(ctx: CoreContext, options: SyncExportOptions): Promise<SyncExportResult> {
  requireRole(ctx.actor, 'reports');
  if (options.consumer !== undefined && options.since !== undefined) {
    throw invalid('give either a consumer (resume from its cursor) or a sequence number to start after, not both').because('sync_consumer_and_since', {});
  }
  if (options.since !== undefined && (!Number.isSafeInteger(options.since) || options.since < 0)) {
    throw invalid('the sequence number to start after must be one (0 for the beginning)').because('sync_since_invalid', {});
  }
  const consumer = options.consumer !== undefined ? validateConsumerName(options.consumer) : undefined;
  const batchSize = options.batchSize ?? 2000;
  const cursorEvery = options.cursorEvery ?? 50_000;
  const cursorEveryMs = options.cursorEveryMs ?? 1000;
  const source = await ensureFeedSource(ctx.db);
  const format = envelopeFormatter(source);
  const owner = newLeaseOwner();
  const from = consumer ? await takeConsumer(ctx, consumer, owner) : (options.since ?? 0);
  const { target, signal } = options;
  // Renewed on a timer, not per batch: one delivery may wait on a slow receiver for minutes.
  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  const renewal = consumer
    ? setInterval(() => {
        renewing = renewLease(ctx, consumer, owner).then(
          (held) => void (lost ||= !held),
          () => undefined, // a busy database: the next renewal tries again, well inside the lease
        );
      }, LEASE_RENEW_MS)
    : undefined;
  renewal?.unref();

  let position = from;
  let saved = from;
  let savedAt = Date.now();
  let delivered = 0;
  let unsaved = 0;
  const saveCursor = async () => {
    if (!consumer || position === saved) return;
    // What the cursor moves past must be durable first, or a power cut could leave a gap.
    target.sync?.();
    const at = nowIso(ctx);
    const count = unsaved;
    const result = await writeTransaction(ctx.db, async (trx) => {
      const until = leaseUntil(await wallClock(trx));
      return trx
        .updateTable('sync_consumers')
        .set((eb) => ({ position, delivered: eb('delivered', '+', count), updated_at: at, lease_until: until }))
        .where('name', '=', consumer)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
    });
    if (result.numUpdatedRows === 0n) {
      lost = true;
      throw lostConsumer(consumer);
    }
    saved = position;
    unsaved -= count;
    savedAt = Date.now();
  };

  let stopped: SyncExportResult['stopped'] = 'caught_up';
  // At the end of what is numbered (first, and after a short batch), committed events may be
  // waiting for their numbers: give them (numberFeed) before reading on.
  let atEnd = true;
  try {
    for (;;) {
      if (signal?.aborted) {
        stopped = 'interrupted';
        break;
      }
      if (lost) throw lostConsumer(consumer!);
      if (atEnd) await numberFeed(ctx.db);
      // `seq > position` also leaves out the rows not numbered yet (seq null on PostgreSQL).
      const rows = await ctx.db.selectFrom('outbox').select(OUTBOX_COLUMNS).where('seq', '>', position).orderBy('seq').limit(batchSize).execute();
      atEnd = rows.length < batchSize;
      if (rows.length === 0) {
        await saveCursor();
        if (!options.follow) break;
        await abortableSleep(options.pollMs ?? 1000, signal);
        continue;
      }
      const lines = rows.map(format);
      try {
        await target.deliver(lines, signal);
      } catch (err) {
        if (err instanceof TargetClosed) {
          stopped = signal?.aborted ? 'interrupted' : 'target_closed';
          break;
        }
        throw err;
      }
      position = rows[rows.length - 1].seq;
      delivered += rows.length;
      unsaved += rows.length;
      options.onProgress?.({ delivered, position });
      if (unsaved >= cursorEvery || Date.now() - savedAt >= cursorEveryMs) await saveCursor();
      // A file or stdout takes a batch without waiting on anything, so this loop would run on
      // promises alone and never let Node see a signal: Ctrl-C would wait for the whole feed.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    clearInterval(renewal);
    await renewing;
    if (consumer && !lost) {
      // Whatever stopped us, keep what was delivered (a failed batch was not, and stays ahead of the cursor).
      await saveCursor();
      await releaseConsumer(ctx, consumer, owner);
    }
  }
  return { consumer: consumer ?? null, source, target: target.name, from, position, delivered, stopped };
}

export interface ConsumerStatus {
  /** The consumer's name: what --consumer takes. */
  id: string;
  name: string;
  position: number;
  head: number;
  /** Events recorded after the consumer's position, not yet delivered to it. */
  lag: number;
  delivered: number;
  createdAt: string;
  updatedAt: string;
  /** The export running for this consumer now (process and host), or null. */
  exporter: string | null;
}

export interface SyncStatus {
  source: string | null;
  head: number;
  events: number;
  consumers: ConsumerStatus[];
}

/** Each consumer's position in the feed and how far behind it is. */
export async function syncStatus(ctx: CoreContext, consumer?: string): Promise<SyncStatus> {
  requireRole(ctx.actor, 'reports');
  await numberFeed(ctx.db);
  const db: Queryable = ctx.db;
  const now = await wallClock(db);
  const head = Number(
    (
      await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.max('seq').as('m'))
        .executeTakeFirst()
    )?.m ?? 0,
  );
  const events = Number(
    (
      await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let q = db.selectFrom('sync_consumers').selectAll().orderBy(dialectOf(db).byBytes(sql`name`));
  if (consumer !== undefined) q = q.where('name', '=', validateConsumerName(consumer));
  const rows = await q.execute();
  if (consumer !== undefined && rows.length === 0)
    throw notFound(`no consumer ${JSON.stringify(consumer)}`, 'a consumer is created by its first export').because('sync_consumer_unknown', { consumer });
  const consumers: ConsumerStatus[] = [];
  for (const r of rows) {
    const lag = Number(
      (
        await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('seq', '>', r.position)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const exporter = leaseHolder(r, now);
    consumers.push({ id: r.name, name: r.name, position: r.position, head, lag, delivered: r.delivered, createdAt: r.created_at, updatedAt: r.updated_at, exporter });
  }
  return { source: (await feedSource(db)) ?? null, head, events, consumers };
}
