// Frozen in time: never edit a migration that has shipped; add a new one.
// boxoffice_number_feed() (0002-feed-sequence.ts) again, with two changes:
// - Its horizon is this database's, not the cluster's. The snapshot's xmin is the oldest
//   transaction running anywhere on the server, so a long transaction in ANOTHER database (a
//   report, an ETL job, a psql left open) held boxoffice's feed back. Now the horizon is the oldest
//   transaction the snapshot sees running (pg_snapshot_xip) that pg_stat_activity does not place
//   in another database, else the snapshot's xmax. A transaction that cannot be placed (it ended
//   meanwhile, or the user may not see other sessions' xids: grant pg_read_all_stats) still holds
//   the horizon, as before: only a transaction known to run elsewhere is passed over, and such a
//   transaction never writes this database's outbox.
// - Its `waiting` CTE is MATERIALIZED. PostgreSQL inlined it and recomputed it for every pending
//   row, so numbering a backlog (events written while one long transaction held the horizon back)
//   took quadratic time under the sequencer's lock: 6,000 rows from many transactions took 3.3 s,
//   12,000 took 13 s, while every writer's numbering after commit and every feed reader waited.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create or replace function boxoffice_number_feed() returns bigint language plpgsql as $$
    declare
      numbered bigint;
    begin
      if not exists (select 1 from outbox where seq is null) then
        return 0;
      end if;
      perform pg_advisory_xact_lock(6450040, 1717920100);
      with snapshot as materialized (
        select pg_current_snapshot() as s
      ), elsewhere as materialized (
        select backend_xid from pg_stat_activity
        where backend_xid is not null and datid is distinct from (select oid from pg_database where datname = current_database())
      ), horizon as (
        select coalesce(
          (select min(x) from snapshot, pg_snapshot_xip(snapshot.s) as x where x::xid not in (select backend_xid from elsewhere)),
          (select pg_snapshot_xmax(s) from snapshot)
        ) as xmin
      ), pending as (
        select pos, xid, max(pos) over (partition by xid) as last_pos from outbox where seq is null
      ), waiting as materialized (
        select min(p.last_pos) as last_pos from pending p, horizon h where p.xid >= h.xmin
      ), ready as (
        select p.pos, row_number() over (order by p.last_pos, p.pos) as n
        from pending p, horizon h, waiting w
        where p.xid < h.xmin and (w.last_pos is null or p.last_pos < w.last_pos)
      )
      update outbox o set seq = (select coalesce(max(seq), 0) from outbox) + r.n from ready r where o.pos = r.pos;
      get diagnostics numbered = row_count;
      return numbered;
    end $$`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
