// Frozen in time: never edit a migration that has shipped; add a new one.
// The feed's `sequence` (outbox.seq) gap-free and in commit order on PostgreSQL, where many
// transactions write at once (docs/postgres.md, "The feed"). SQLite needs none of this: its
// single writer makes AUTOINCREMENT both already.
//
// An identity column is neither: a transaction that took 41 may commit after one that took 42,
// and a follower already past 42 never sees 41; a rollback burns its numbers. So a row is now
// written WITHOUT a number (seq null), with the id of the transaction that wrote it (xid) and the
// order it was written in (pos), and numbered only after it committed, by boxoffice_number_feed()
// below, which every reader of the feed runs first (SqlDialect.numberFeed).
//
// Deliberate differences from SQLite's outbox, each named in test/db-schema.test.ts:
// - seq may be null (not numbered yet) and is unique (outbox_seq) rather than the primary key;
// - pos (identity) is the primary key, xid is new; outbox_pending indexes the unnumbered rows.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

const statements = [
  `alter table outbox drop constraint outbox_pkey`,
  `alter table outbox alter column seq drop identity`,
  `alter table outbox alter column seq drop not null`,
  // Rows already there keep their numbers (they were written by one process: init).
  `alter table outbox add column pos bigint generated always as identity primary key`,
  `alter table outbox add column xid xid8 not null default pg_current_xact_id()`,
  `create unique index outbox_seq on outbox (seq)`,
  `create index outbox_pending on outbox (pos) where seq is null`,

  // The sequencer: numbers the committed rows that no transaction still running can precede.
  //
  // - One at a time: a transaction-scoped advisory lock (two int4 keys, "box" and "feed" in ASCII),
  //   so two sequencers never hand out the same numbers (outbox_seq would refuse it anyway).
  // - horizon = the xmin of the snapshot: every transaction with an xid below it has ended, so the
  //   rows with xid < horizon that this statement sees are all the rows those transactions will
  //   ever write. A row written by a transaction still running (xid >= horizon, invisible) waits
  //   for a later round; a rolled-back transaction left no row, hence no gap.
  // - Order: the rows of one transaction together, transactions by the last row each wrote (pos
  //   is a sequence: a row written after another transaction committed has a higher pos), rows of
  //   one transaction as written. And a committed transaction that must still wait (xid >= horizon)
  //   holds back every transaction whose last row came after its own: so if B wrote its events
  //   after A committed (B may depend on A), A's events always come first in the feed.
  // - Numbers continue from the highest given (one index lookup on outbox_seq), so they are
  //   consecutive: 1, 2, 3 … with none skipped and none given twice.
  `create function boxoffice_number_feed() returns bigint language plpgsql as $$
    declare
      numbered bigint;
    begin
      if not exists (select 1 from outbox where seq is null) then
        return 0;
      end if;
      perform pg_advisory_xact_lock(6450040, 1717920100);
      with horizon as (
        select pg_snapshot_xmin(pg_current_snapshot()) as xmin
      ), pending as (
        select pos, xid, max(pos) over (partition by xid) as last_pos from outbox where seq is null
      ), waiting as (
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
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('boxoffice migrations are forward-only');
}
