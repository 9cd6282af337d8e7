// Frozen in time: never edit a migration that has shipped; add a new one.
// The mail queue: every email is written here first and sent from here, so a sale never waits on
// the mail server and an unsent mail is never lost. Plus indexes for printing a whole event's
// tickets and for following a reissued ticket to its replacement.
import { sql } from '../kysely.js';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Fixed when queued and sent with every attempt, so a receiver can tell a retry from a new mail.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    // Null: the From of the SMTP settings at the time of sending.
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachment_name', 'text')
    .addColumn('attachment_type', 'text')
    .addColumn('attachment', 'blob')
    // queued: waiting (for its first try or a retry); sending: claimed by one process; sent.
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sending', 'sent')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    // Who is sending it right now: only the holder of this token may mark it sent or failed.
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await sql`create index mail_queue_due on mail_queue (status, next_attempt_at)`.execute(db);
  await sql`create index mail_queue_order on mail_queue (order_id)`.execute(db);

  await sql`create index tickets_event_status on tickets (event_id, status, id)`.execute(db);
  await sql`create index tickets_replaces on tickets (replaces_id) where replaces_id is not null`.execute(db);
}
