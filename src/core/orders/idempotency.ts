// Every payment request carries a key: the same key and request returns the first result and
// charges nothing twice; the same key with a different request is a conflict.
import { createHash, randomUUID } from 'node:crypto';
import type { Trx } from '../../db/transaction.js';
import type { Order } from '../../db/schema.js';
import { BoxofficeError, invalid } from '../errors.js';

export function newIdempotencyKey(): string {
  return randomUUID();
}

export function validateKey(key: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw invalid('an idempotency key is 1 to 200 printable characters without spaces');
  return key;
}

/** A stable fingerprint of a request: key order and undefined fields do not matter. */
export function requestHash(request: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(request)
      .sort()
      .filter((k) => request[k] !== undefined)
      .map((k) => [k, request[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** The order an earlier request with this key made, or undefined if the key is new. */
export async function replayedOrder(trx: Trx, key: string, hash: string): Promise<Order | undefined> {
  const row = await trx.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hash) {
    throw new BoxofficeError('idempotency_conflict', `idempotency key ${key} was already used for a different request`, 'use a new key for a new request');
  }
  return trx.selectFrom('orders').selectAll().where('id', '=', row.order_id).executeTakeFirstOrThrow();
}

export async function rememberKey(trx: Trx, key: string, hash: string, orderId: number, at: string): Promise<void> {
  await trx.insertInto('idempotency_keys').values({ key, request_hash: hash, order_id: orderId, created_at: at }).execute();
}
