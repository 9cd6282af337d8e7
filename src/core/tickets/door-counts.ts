// Running counts at the door: who has come in, per gate, across every scanning terminal.
import type { Queryable } from '../../db/transaction.js';

export interface GateCount {
  /** null: scans that named no gate. */
  gate: string | null;
  admitted: number;
}

/** Admissions so far for an event, per gate (most first), and the total. */
export async function admissionsByGate(db: Queryable, eventId: number): Promise<{ total: number; gates: GateCount[] }> {
  const rows = await db
    .selectFrom('checkins')
    .select(['gate'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .groupBy('gate')
    .execute();
  const gates = rows.map((r) => ({ gate: r.gate, admitted: Number(r.n) })).sort((a, b) => b.admitted - a.admitted || String(a.gate).localeCompare(String(b.gate)));
  return { total: gates.reduce((n, g) => n + g.admitted, 0), gates };
}
