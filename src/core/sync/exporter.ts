// `boxoffice sync export`: the outbox, in order, to a target. A named consumer's cursor lives in
// the database and moves only past lines the target accepted, so delivery is at-least-once,
// in order and resumable after a crash; cursor writes are batched so the feed streams at full speed.
import type { Queryable } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import { invalid, notFound } from '../errors.js';
import type { CoreContext } from '../context.js';
import { nowIso } from '../context.js';
import { requireRole } from '../staff/permissions.js';
import { ensureFeedSource, envelopeFormatter, feedSource } from './feed.js';
import { abortableSleep, TargetClosed, type SyncTarget } from './targets.js';

export function validateConsumerName(input: string): string {
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

async function consumerPosition(ctx: CoreContext, name: string): Promise<number> {
  const now = nowIso(ctx);
  return writeTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('sync_consumers')
      .values({ name, position: 0, delivered: 0, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await trx.selectFrom('sync_consumers').select('position').where('name', '=', name).executeTakeFirstOrThrow()).position;
  });
}

/** Streams the outbox after the consumer's cursor (or `since`) to the target. */
export async function runSyncExport(ctx: CoreContext, options: SyncExportOptions): Promise<SyncExportResult> {
  requireRole(ctx.actor, 'reports');
  if (options.consumer !== undefined && options.since !== undefined) {
    throw invalid('give either --consumer (resume from its cursor) or --since (a sequence number), not both');
  }
  if (options.since !== undefined && (!Number.isSafeInteger(options.since) || options.since < 0)) {
    throw invalid('--since must be a sequence number (0 for the beginning)');
  }
  const consumer = options.consumer !== undefined ? validateConsumerName(options.consumer) : undefined;
  const batchSize = options.batchSize ?? 2000;
  const cursorEvery = options.cursorEvery ?? 50_000;
  const cursorEveryMs = options.cursorEveryMs ?? 1000;
  const source = await ensureFeedSource(ctx.db);
  const format = envelopeFormatter(source);
  const from = consumer ? await consumerPosition(ctx, consumer) : (options.since ?? 0);
  const { target, signal } = options;

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
    await writeTransaction(ctx.db, (trx) =>
      trx
        .updateTable('sync_consumers')
        .set((eb) => ({ position, delivered: eb('delivered', '+', count), updated_at: at }))
        .where('name', '=', consumer)
        .execute(),
    );
    saved = position;
    unsaved -= count;
    savedAt = Date.now();
  };

  let stopped: SyncExportResult['stopped'] = 'caught_up';
  try {
    for (;;) {
      if (signal?.aborted) {
        stopped = 'interrupted';
        break;
      }
      const rows = await ctx.db.selectFrom('outbox').selectAll().where('seq', '>', position).orderBy('seq').limit(batchSize).execute();
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
    }
  } finally {
    // Whatever stopped us, keep what was delivered (a failed batch was not, and stays ahead of the cursor).
    await saveCursor();
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
  const db: Queryable = ctx.db;
  const head = Number((await db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
  const events = Number((await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let q = db.selectFrom('sync_consumers').selectAll().orderBy('name');
  if (consumer !== undefined) q = q.where('name', '=', validateConsumerName(consumer));
  const rows = await q.execute();
  if (consumer !== undefined && rows.length === 0) throw notFound(`no consumer ${JSON.stringify(consumer)}`, 'a consumer is created by its first: boxoffice sync export --consumer NAME');
  const consumers: ConsumerStatus[] = [];
  for (const r of rows) {
    const lag = Number(
      (await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', r.position).executeTakeFirstOrThrow()).n,
    );
    consumers.push({ id: r.name, name: r.name, position: r.position, head, lag, delivered: r.delivered, createdAt: r.created_at, updatedAt: r.updated_at });
  }
  return { source: (await feedSource(db)) ?? null, head, events, consumers };
}

