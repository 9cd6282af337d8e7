// The mail queue. Every email is written to the database first and sent from there: a sale never
// waits on or fails with the mail server, and an unsent mail is never lost. Sending claims a mail
// with a conditional update inside a write transaction, so two processes cannot both send it; only
// the claim's holder marks it sent (or failed, with a backoff), and every attempt carries the
// Message-ID fixed when it was queued.
import { randomUUID } from 'node:crypto';
import type { Queryable, Trx } from '../../db/transaction.js';
import { lockForTransaction, writeTransaction } from '../../db/transaction.js';
import type { MailRow } from '../../db/schema.js';
import type { CoreContext } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { recordEvents, type DomainEvent } from '../outbox/outbox.js';
import { requireRole } from '../staff/permissions.js';
import { findOrderRow } from '../orders/view.js';
import { addressDomain, type SmtpSettings } from './settings.js';

export type MailStatus = MailRow['status'];
export const MAIL_STATUSES: readonly MailStatus[] = ['queued', 'sending', 'sent'];

/** A claim older than this is taken to belong to a process that died mid-send. */
export const SENDING_LEASE_MINUTES = 10;
/** Longest wait between retries. */
const MAX_BACKOFF_MINUTES = 360;

// Well inside the lease: a live sender gives up long before its claim could be taken over.
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/** Minutes to wait after the n-th failed attempt: 1, 2, 4, 8… up to six hours. */
export function backoffMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MINUTES);
}

export interface OutgoingMail {
  kind: string;
  orderId: number | null;
  lang: string;
  to: string;
  /** Null: the From of the SMTP settings when it is sent. */
  from: string | null;
  subject: string;
  text: string;
  html?: string;
  attachment?: { filename: string; contentType: string; content: Buffer };
}

/** A queued mail as `mail list` shows it (the bodies and attachment stay in the database). */
export interface MailView {
  id: number;
  status: MailStatus;
  kind: string;
  to: string;
  subject: string;
  /** The order's code, for a tickets email. */
  order: string | null;
  lang: string;
  messageId: string;
  attempts: number;
  /** When it will be tried again; null once sent. */
  nextAttemptAt: string | null;
  lastError: string | null;
  attachment: string | null;
  createdAt: string;
  sentAt: string | null;
}

function mailQuery(db: Queryable) {
  return db
    .selectFrom('mail_queue')
    .leftJoin('orders', 'orders.id', 'mail_queue.order_id')
    .select([
      'mail_queue.id',
      'mail_queue.status',
      'mail_queue.kind',
      'mail_queue.to_address',
      'mail_queue.subject',
      'orders.code as order_code',
      'mail_queue.lang',
      'mail_queue.message_id',
      'mail_queue.attempts',
      'mail_queue.next_attempt_at',
      'mail_queue.last_error',
      'mail_queue.attachment_name',
      'mail_queue.created_at',
      'mail_queue.sent_at',
    ]);
}

type MailListRow = Awaited<ReturnType<ReturnType<typeof mailQuery>['execute']>>[number];

function toView(r: MailListRow): MailView {
  return {
    id: r.id,
    status: r.status,
    kind: r.kind,
    to: r.to_address,
    subject: r.subject,
    order: r.order_code ?? null,
    lang: r.lang,
    messageId: r.message_id,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'sent' ? null : r.next_attempt_at,
    lastError: r.last_error,
    attachment: r.attachment_name,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

/** One mail by id, as the verbs that queue or send it return it (they checked the role for that): no check of its own. */
export async function mailView(ctx: CoreContext, id: number): Promise<MailView> {
  const row = await mailQuery(ctx.db).where('mail_queue.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`no mail ${id} in the queue`, 'see the queue for the mail there is').because('mail_not_queued', { id });
  return toView(row);
}

/** The queue, newest first (managers); by default everything, or only one status or one order's mail. */
export async function listMail(ctx: CoreContext, filter: { status?: string; order?: string; limit?: number } = {}): Promise<MailView[]> {
  requireRole(ctx.actor, 'read_personal_data', { what: 'read the mail queue' });
  const orderId = filter.order !== undefined ? (await findOrderRow(ctx.db, filter.order)).id : undefined;
  return mailOf(ctx.db, { ...filter, orderId });
}

/** The tickets mail already queued for an order, if any: what a replayed sale reports instead of queueing it again. */
export async function queuedTicketsMail(ctx: CoreContext, orderCode: string): Promise<MailView | undefined> {
  requireRole(ctx.actor, 'sell');
  const order = await findOrderRow(ctx.db, orderCode);
  return (await mailOf(ctx.db, { orderId: order.id })).find((m) => m.kind === 'tickets');
}

async function mailOf(db: Queryable, filter: { status?: string; orderId?: number; limit?: number }): Promise<MailView[]> {
  let q = mailQuery(db);
  if (filter.status !== undefined) {
    if (!(MAIL_STATUSES as readonly string[]).includes(filter.status)) throw invalid(`unknown mail status ${JSON.stringify(filter.status)}`, `use one of: ${MAIL_STATUSES.join(', ')}`);
    q = q.where('mail_queue.status', '=', filter.status as MailStatus);
  }
  if (filter.orderId !== undefined) q = q.where('mail_queue.order_id', '=', filter.orderId);
  const rows = await q
    .orderBy('mail_queue.id', 'desc')
    .limit(filter.limit ?? 1000)
    .execute();
  return rows.map(toView);
}

/**
 * Puts a mail in the queue (it is sent by `deliverMail`), with `mail.queued` and any `extra`
 * events in the same transaction. Its Message-ID is fixed here, for every attempt.
 */
export async function queueMail(ctx: CoreContext, mail: OutgoingMail, extra: DomainEvent[] = []): Promise<MailView> {
  requireRole(ctx.actor, 'sell');
  const row = newMailRow(ctx, mail);
  const id = await writeTransaction(ctx.db, (trx) => insertMail(trx, ctx, row, extra));
  return mailView(ctx, id);
}

/**
 * Queues `mail` unless its order has a mail of its kind already, which is returned instead
 * (`queued: false`): the one tickets mail of a sale, however many times the sale is asked for
 * (a replay of its idempotency key, from another process at the same moment as the first).
 * Correct with many processes by a lock taken before the look: on PostgreSQL an advisory
 * transaction lock on the order's mail of that kind, so a second caller waits until the first
 * has committed its mail and then finds it; on SQLite, BEGIN IMMEDIATE already makes the look and
 * the insert one step.
 */
export async function queueMailOnce(ctx: CoreContext, mail: OutgoingMail & { orderId: number }, extra: DomainEvent[] = []): Promise<{ mail: MailView; queued: boolean }> {
  requireRole(ctx.actor, 'sell');
  const row = newMailRow(ctx, mail);
  const { id, queued } = await writeTransaction(ctx.db, async (trx) => {
    await lockForTransaction(trx, `mail:${mail.kind}:order:${mail.orderId}`, 'exclusive');
    const earlier = await trx.selectFrom('mail_queue').select('id').where('order_id', '=', mail.orderId).where('kind', '=', mail.kind).orderBy('id').executeTakeFirst();
    if (earlier) return { id: earlier.id, queued: false };
    return { id: await insertMail(trx, ctx, row, extra), queued: true };
  });
  return { mail: await mailView(ctx, id), queued };
}

type NewMail = Omit<MailRow, 'id'>;

function newMailRow(ctx: CoreContext, mail: OutgoingMail): NewMail {
  const now = ctx.clock.now().toISOString();
  return {
    message_id: `<${randomUUID()}@${(mail.from && addressDomain(mail.from)) || 'boxoffice.local'}>`,
    order_id: mail.orderId,
    kind: mail.kind,
    lang: mail.lang,
    to_address: mail.to,
    from_address: mail.from,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    attachment_name: mail.attachment?.filename ?? null,
    attachment_type: mail.attachment?.contentType ?? null,
    attachment: mail.attachment?.content ?? null,
    status: 'queued',
    attempts: 0,
    next_attempt_at: now,
    last_error: null,
    claim_token: null,
    claimed_at: null,
    created_at: now,
    sent_at: null,
  };
}

async function insertMail(trx: Trx, ctx: CoreContext, row: NewMail, extra: DomainEvent[]): Promise<number> {
  const { id } = await trx.insertInto('mail_queue').values(row).returning('id').executeTakeFirstOrThrow();
  await recordEvents(trx, ctx, [
    ...extra,
    { type: 'mail.queued', subject: `mail/${id}`, data: { id, kind: row.kind, orderId: row.order_id ?? null, to: row.to_address, messageId: row.message_id, lang: row.lang } },
  ]);
  return id;
}

export interface DeliveryReport {
  sent: MailView[];
  failed: MailView[];
  /** Ids another process is sending right now (left to it). */
  busy: number[];
  /** Ids asked for that were sent already (never sent twice). */
  alreadySent: number[];
}

/** The smallest part of nodemailer this module uses, so a test can count what is sent. */
export interface MailTransport {
  sendMail(message: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

async function smtpTransport(settings: SmtpSettings, connectTimeoutMs?: number): Promise<MailTransport> {
  const nodemailer = await import('nodemailer');
  const create = (nodemailer as unknown as { createTransport?: typeof nodemailer.createTransport }).createTransport ?? nodemailer.default.createTransport;
  const timeouts = connectTimeoutMs === undefined ? SMTP_TIMEOUTS : { ...SMTP_TIMEOUTS, connectionTimeout: connectTimeoutMs, greetingTimeout: connectTimeoutMs };
  return create({ url: settings.url, ...timeouts }) as unknown as MailTransport;
}

function describeError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const text = (e?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * Takes the mail for this process, or returns nothing if it is sent, or being sent by another.
 * Correct with many processes by a conditional update whose row count is read: the status and
 * claim read first only choose the answer; the update takes the mail only `where` it is still
 * queued or its claim lapsed, which PostgreSQL re-checks on the row as it is once a concurrent
 * claimer commits. So of two processes claiming at once exactly one updates the row (count 1)
 * and sends; the other gets 0 and leaves the mail to it. markSent/markFailed are conditional on
 * this claim's token the same way: a claim taken over after its lease cannot be recorded twice.
 */
async function claim(ctx: CoreContext, id: number, token: string, force: boolean): Promise<MailRow | 'busy' | 'sent' | 'not_due'> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const leaseCutoff = new Date(now.getTime() - SENDING_LEASE_MINUTES * 60_000).toISOString();
  return writeTransaction(ctx.db, async (trx) => {
    const row = await trx.selectFrom('mail_queue').select(['status', 'next_attempt_at', 'claimed_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`no mail ${id} in the queue`);
    if (row.status === 'sent') return 'sent';
    if (row.status === 'sending' && (row.claimed_at ?? '') >= leaseCutoff) return 'busy';
    if (row.status === 'queued' && !force && row.next_attempt_at > nowIso) return 'not_due';
    // The status and claim read above are re-checked by the update itself.
    const result = await trx
      .updateTable('mail_queue')
      .set({ status: 'sending', claim_token: token, claimed_at: nowIso })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', leaseCutoff)])]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return 'busy';
    return trx.selectFrom('mail_queue').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}

async function markSent(ctx: CoreContext, row: MailRow, token: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const result = await trx
      .updateTable('mail_queue')
      .set({ status: 'sent', sent_at: now, attempts: row.attempts + 1, last_error: null, claim_token: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return;
    await recordEvents(trx, ctx, [
      { type: 'mail.sent', subject: `mail/${row.id}`, data: { id: row.id, kind: row.kind, orderId: row.order_id, to: row.to_address, messageId: row.message_id, attempts: row.attempts + 1 } },
    ]);
  });
}

async function markFailed(ctx: CoreContext, row: MailRow, token: string, error: string): Promise<void> {
  const now = ctx.clock.now();
  const attempts = row.attempts + 1;
  const next = new Date(now.getTime() + backoffMinutes(attempts) * 60_000).toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const result = await trx
      .updateTable('mail_queue')
      .set({ status: 'queued', attempts, next_attempt_at: next, last_error: error, claim_token: null, claimed_at: null })
      .where('id', '=', row.id)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return;
    await recordEvents(trx, ctx, [
      {
        type: 'mail.failed',
        subject: `mail/${row.id}`,
        data: { id: row.id, kind: row.kind, orderId: row.order_id, to: row.to_address, messageId: row.message_id, attempts, error, nextAttemptAt: next },
      },
    ]);
  });
}

/**
 * Sends queued mail: the given ids, or every mail that is due (with `force`, every unsent mail
 * whatever its backoff; a claim left by a process that died mid-send is taken over after the
 * lease). Never throws for a mail server's refusal: each failure is recorded on its mail.
 */
export async function deliverMail(
  ctx: CoreContext,
  options: {
    settings: SmtpSettings;
    ids?: number[];
    force?: boolean;
    transport?: MailTransport;
    /** How long to wait for the server to answer at all (default 15 s). */
    connectTimeoutMs?: number;
    /** Leave the rest queued after the first failure (a server that is down fails them all). */
    stopAtFirstFailure?: boolean;
  },
): Promise<DeliveryReport> {
  requireRole(ctx.actor, 'sell');
  // Retrying the queue at will (mail retry) reports every mail's recipient and order: the office's
  // reading of personal data, as `mail list` is. Mail that falls due is still sent for any seller.
  if (options.force) requireRole(ctx.actor, 'read_personal_data', { what: 'retry the mail queue' });
  const report: DeliveryReport = { sent: [], failed: [], busy: [], alreadySent: [] };
  let ids = options.ids;
  if (ids === undefined) {
    const now = ctx.clock.now();
    const leaseCutoff = new Date(now.getTime() - SENDING_LEASE_MINUTES * 60_000).toISOString();
    const due = await ctx.db
      .selectFrom('mail_queue')
      .select('id')
      .where((eb) =>
        eb.or([
          options.force ? eb('status', '=', 'queued') : eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now.toISOString())]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', leaseCutoff)]),
        ]),
      )
      .orderBy('id')
      .execute();
    ids = due.map((r) => r.id);
  } else {
    for (const id of ids) await mailView(ctx, id);
  }
  if (ids.length === 0) return report;
  let transport = options.transport;
  const own = !transport;
  try {
    for (const id of ids) {
      const token = randomUUID();
      const claimed = await claim(ctx, id, token, options.force ?? options.ids !== undefined);
      if (claimed === 'sent') {
        report.alreadySent.push(id);
        continue;
      }
      if (claimed === 'busy' || claimed === 'not_due') {
        if (claimed === 'busy') report.busy.push(id);
        continue;
      }
      try {
        transport ??= await smtpTransport(options.settings, options.connectTimeoutMs);
        await transport.sendMail({
          from: claimed.from_address ?? options.settings.from,
          to: claimed.to_address,
          subject: claimed.subject,
          text: claimed.text_body,
          html: claimed.html_body ?? undefined,
          messageId: claimed.message_id,
          date: new Date(claimed.created_at),
          headers: { 'X-Boxoffice-Mail-Id': String(claimed.id) },
          attachments: claimed.attachment
            ? [{ filename: claimed.attachment_name ?? 'attachment', contentType: claimed.attachment_type ?? 'application/octet-stream', content: Buffer.from(claimed.attachment) }]
            : [],
        });
      } catch (err) {
        await markFailed(ctx, claimed, token, describeError(err));
        report.failed.push(await mailView(ctx, id));
        if (options.stopAtFirstFailure) break;
        continue;
      }
      await markSent(ctx, claimed, token);
      report.sent.push(await mailView(ctx, id));
    }
  } finally {
    if (own && transport) transport.close();
  }
  return report;
}

/** How many mails are waiting (queued or stuck mid-send), and how many of those are due now. */
export async function unsentCount(ctx: CoreContext): Promise<{ unsent: number; due: number }> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.db
    .selectFrom('mail_queue')
    .select((eb) => [eb.fn.countAll<number>().as('unsent'), eb.fn.sum<number>(eb.case().when('next_attempt_at', '<=', now).then(1).else(0).end()).as('due')])
    .where('status', '!=', 'sent')
    .executeTakeFirstOrThrow();
  return { unsent: Number(row.unsent), due: Number(row.due ?? 0) };
}
