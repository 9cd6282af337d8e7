// A row's changes as imports plan them and the services write them: each field's old and new value.
import { foldKey } from '../db/fold.js';

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** The fields of `next` that differ from `current` (undefined in `next` means "leave as it is"). */
export function diff(current: object, next: Record<string, unknown>): FieldChanges {
  const out: FieldChanges = {};
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const was = (current as Record<string, unknown>)[k];
    if (was !== v) out[k] = { from: was ?? null, to: v };
  }
  return out;
}

/** The new values of `changes`, as an update sets them. */
export const setOf = (changes: FieldChanges) => Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, c.to]));

/** setOf, with the key of `column` written beside it when the row is renamed (src/db/fold.ts). */
export const setWithKey = (changes: FieldChanges, column: 'name' | 'email') => {
  const set = setOf(changes);
  return typeof set[column] === 'string' ? { ...set, [`${column}_key`]: foldKey(set[column]) } : set;
};
