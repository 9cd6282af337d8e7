// The domain-event feed as CloudEvents 1.0: one JSON envelope per outbox row, with the outbox's
// sequence number as the `sequence` extension and one `source` URN per database.
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/connection.js';
import type { Queryable } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import type { OutboxRow } from '../../db/schema.js';

const SOURCE_KEY = 'database_id';

/** This database's URN, e.g. `urn:boxoffice:6f1c…`, or undefined before the feed was first read. */
export async function feedSource(db: Queryable): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', SOURCE_KEY).executeTakeFirst();
  return row ? `urn:boxoffice:${row.value}` : undefined;
}

/** This database's URN, created (once, for good) on first use. */
export async function ensureFeedSource(db: DB): Promise<string> {
  const existing = await feedSource(db);
  if (existing) return existing;
  // Correct with many processes by a constraint: of two first readers at once, meta's primary key
  // keeps the first URN (`on conflict do nothing`), and both read that one back.
  await writeTransaction(db, (trx) =>
    trx
      .insertInto('meta')
      .values({ key: SOURCE_KEY, value: randomUUID() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute(),
  );
  return (await feedSource(db))!;
}

/**
 * Gives the database a new URN, for good: a copy that becomes another database (a rehearsal) must
 * not publish its events as the original's.
 */
export async function renewFeedSource(trx: Queryable): Promise<string> {
  const value = randomUUID();
  await trx
    .insertInto('meta')
    .values({ key: SOURCE_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  return `urn:boxoffice:${value}`;
}

/** The CloudEvents type of an outbox type: `order.paid` → `boxoffice.order.paid`. */
const cloudEventType = (outboxType: string) => `boxoffice.${outboxType}`;

// Ids, times and types never need escaping; checking is cheaper than JSON.stringify on every field.
const PLAIN = /^[^"\\\u0000-\u001f\u2028\u2029]*$/;
const str = (s: string) => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * Returns a function that turns an outbox row into one newline-free line of JSON. The outbox
 * already holds `data` as JSON text, so it is spliced in rather than parsed and serialised
 * again: this is what keeps a million events fast.
 */
export function envelopeFormatter(source: string): (row: OutboxRow) => string {
  const afterId = `,"source":${JSON.stringify(source)},"type":`;
  return (row) =>
    `{"specversion":"1.0","id":${str(row.id)}${afterId}${str(cloudEventType(row.type))},"time":${str(row.time)},` +
    `"subject":${str(row.subject)},"datacontenttype":"application/json","sequence":"${row.seq}","operator":${str(row.operator)},"data":${row.data}}`;
}

/** One CloudEvent line (see envelopeFormatter, which the exporter uses). */
function envelopeLine(source: string, row: OutboxRow): string {
  return envelopeFormatter(source)(row);
}

/** The envelope as an object (for people and tests; the exporter writes `envelopeLine`). */
export function envelope(source: string, row: OutboxRow): Record<string, unknown> {
  return JSON.parse(envelopeLine(source, row)) as Record<string, unknown>;
}
