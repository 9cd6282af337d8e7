// Every payment request carries a key: the same key and request returns the first result and
// charges nothing twice; the same key with a different request is a conflict.
import { createHash } from 'node:crypto';
import type { Trx } from '../../db/transaction.js';
import { prepared } from '../../db/prepared.js';
import type { Order } from '../../db/schema.js';
import { newId } from '../codes.js';
import { BoxofficeError, invalid } from '../errors.js';

export function newIdempotencyKey(): string {
  return newId();
}

export function validateKey(key: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('an idempotency key is 1 to 200 printable characters without spaces');
  return key;
}

/** The value with its objects' keys sorted and undefined fields left out, at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.keys(object)
    .sort()
    .filter((k) => object[k] !== undefined)
    .map((k) => [k, canonical(object[k])]);
}

/** A stable fingerprint of a parsed request: key order and undefined fields do not matter. */
export function requestHash(request: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}

const keyRow = prepared((db, p: { key: string }) => db.selectFrom('idempotency_keys').selectAll().where('key', '=', p.key));
const orderById = prepared((db, p: { id: number }) => db.selectFrom('orders').selectAll().where('id', '=', p.id));
const insertKey = prepared((db, p: { key: string; hash: string; orderId: number; at: string }) =>
  db.insertInto('idempotency_keys').values({ key: p.key, request_hash: p.hash, order_id: p.orderId, created_at: p.at }),
);

/** The order an earlier request with this key made, or undefined if the key is new. */
export async function replayedOrder(trx: Trx, key: string, hash: string): Promise<Order | undefined> {
  const row = await keyRow.first(trx, { key });
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new BoxofficeError('idempotency_conflict', `idempotency key ${key} was already used for a different request`, 'use a new key for a new request');
  }
  const order = await orderById.first(trx, { id: row.order_id });
  if (!order) throw new Error(`idempotency key ${key} names order ${row.order_id}, which does not exist`);
  return order;
}

export async function rememberKey(trx: Trx, key: string, hash: string, orderId: number, at: string): Promise<void> {
  await insertKey.run(trx, { key, hash, orderId, at });
}
