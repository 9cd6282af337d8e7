// The `data` of each domain event, as the core records it (recordEvents / events.push in
// src/core), in zod. docs/events/*.json are generated from these (scripts/event-schemas.mjs) and
// test/sync.test.ts checks that every event the exporter emits validates against its file.
// Objects are open (additional properties allowed): the feed grows by adding fields, never by
// changing or removing them.
import { z } from 'zod';
import { PAYMENT_METHODS } from '../orders/payment.js';

const id = z.number().int().positive();
const minor = z.number().int().min(0).describe('money in minor units of `currency`');
const currency = z.string().regex(/^[A-Z]{3}$/);
const iso = z.string().describe('ISO 8601 time');
const orderCode = z.string().min(1).describe('the order code, e.g. K7P3QX');
const method = z.enum(PAYMENT_METHODS);
const changes = z.record(z.string(), z.looseObject({ from: z.unknown(), to: z.unknown() })).describe('each changed field: from → to');
const drawerSummary = z.looseObject({ currency, float: minor, expected: z.number().int(), counted: minor.nullable(), variance: z.number().int().nullable() });

const venue = z.looseObject({ id, name: z.string(), city: z.string(), timezone: z.string(), createdAt: iso, externalId: z.string().nullable().optional() });
const eventView = z.looseObject({
  id,
  name: z.string(),
  type: z.string().nullable(),
  status: z.enum(['draft', 'on_sale', 'cancelled', 'completed']),
  venue: z.looseObject({ id, name: z.string(), city: z.string(), timezone: z.string() }),
  startsAt: iso,
  endsAt: iso.nullable(),
  currency,
  orderLimit: z.number().int().positive(),
  createdAt: iso,
  externalId: z.string().nullable().optional(),
});

export const EVENT_DATA_SCHEMAS: Record<string, { description: string; data: z.ZodType }> = {
  'venue.created': { description: 'A venue was added (by `venue add` or an import).', data: venue },
  'venue.updated': { description: 'An import changed a venue.', data: z.looseObject({ id, changes }) },
  'seatmap.changed': {
    description: "A venue's seat map grew or changed: a reserved block, a general-admission section, or an import.",
    data: z.looseObject({
      venueId: id,
      section: z.string(),
      kind: z.enum(['reserved', 'ga']),
      seatsAdded: z.number().int().min(0).optional(),
      seatsUpdated: z.number().int().min(0).optional(),
      capacity: z.number().int().positive().optional(),
    }),
  },
  'event.created': { description: 'An event was added, as a draft.', data: eventView },
  'event.updated': { description: 'An import changed an event.', data: z.looseObject({ id, changes }) },
  'event.published': { description: 'An event went on sale.', data: z.looseObject({ id, name: z.string() }) },
  'event.cancelled': {
    description: 'An event was cancelled (its paid orders refunded).',
    data: z.looseObject({ id, name: z.string(), reason: z.string().nullable(), refundedOrders: z.number().int().min(0).optional() }),
  },
  'event.price_set': {
    description: "A tier's price was set, for one zone or any zone.",
    data: z.looseObject({ eventId: id, tier: z.string(), zone: z.string().nullable(), price: minor, currency }),
  },
  'seats.blocked': { description: 'A manager blocked seats (house seats, kills).', data: z.looseObject({ eventId: id, seats: z.array(z.string()), reason: z.string().nullable() }) },
  'seats.released': { description: 'Blocked seats were released for sale.', data: z.looseObject({ eventId: id, seats: z.array(z.string()) }) },
  'order.created': {
    description: 'Seats were held for a new order (a sale creates and pays it at once).',
    data: z.looseObject({ code: orderCode, eventId: id, total: minor, currency, tickets: z.number().int().positive(), expiresAt: iso.nullable() }),
  },
  'order.paid': {
    description: 'An order was paid and its tickets issued.',
    data: z.looseObject({ code: orderCode, total: minor, paid: minor, currency, method, tickets: z.number().int().min(0) }),
  },
  'order.cancelled': { description: 'An unpaid order was cancelled and its seats freed.', data: z.looseObject({ code: orderCode, eventId: id, reason: z.string().nullable() }) },
  'order.expired': { description: "An order's hold ran out and its seats were freed.", data: z.looseObject({ code: orderCode, eventId: id, expiredAt: iso.nullable() }) },
  'order.refunded': {
    description: 'An order was refunded, fully or in part.',
    data: z.looseObject({ code: orderCode, amount: minor, currency, status: z.enum(['refunded', 'partially_refunded']), ticketsVoided: z.number().int().min(0) }),
  },
  'order.tiers_changed': {
    description: 'The tiers (and so the prices) of tickets on a held order changed.',
    data: z.looseObject({ code: orderCode, total: minor, currency, tickets: z.array(z.looseObject({ ticketId: id, tier: z.string(), price: minor })) }),
  },
  'payment.created': {
    description: 'A payment was taken for an order.',
    data: z.looseObject({ id, order: orderCode, method, amount: minor, currency, tendered: minor.nullable(), change: minor.nullable(), reference: z.string().nullable() }),
  },
  'refund.created': {
    description: 'Money was given back, to the original payment method.',
    data: z.looseObject({ id, order: orderCode, method, amount: minor, currency, reason: z.string().nullable() }),
  },
  'ticket.issued': { description: 'A ticket was issued (on payment, or a reissue of a lost one).', data: z.looseObject({ id, order: orderCode, price: minor, replaces: id.optional() }) },
  'ticket.voided': { description: 'A ticket was voided (refunded or replaced).', data: z.looseObject({ id, order: orderCode, reason: z.string() }) },
  'ticket.checked_in': { description: 'A ticket was admitted at the door.', data: z.looseObject({ id, order: orderCode, eventId: id, gate: z.string().nullable() }) },
  'tickets.rendered': {
    description: "An order's tickets were rendered as a PDF (printed, saved or attached).",
    data: z.looseObject({ order: orderCode.nullable(), eventId: id.nullable().optional(), tickets: z.number().int().min(0), pages: z.number().int().min(0).optional() }),
  },
  'mail.queued': {
    description: 'An email was put in the mail queue.',
    data: z.looseObject({ id, kind: z.string(), orderId: id.nullable(), to: z.string(), messageId: z.string(), lang: z.string() }),
  },
  'mail.sent': {
    description: 'A queued email was accepted by the mail server.',
    data: z.looseObject({ id, kind: z.string(), orderId: id.nullable(), to: z.string(), messageId: z.string(), attempts: z.number().int().positive() }),
  },
  'mail.failed': {
    description: 'Sending a queued email failed; it stays queued for a retry.',
    data: z.looseObject({ id, kind: z.string(), orderId: id.nullable(), to: z.string(), messageId: z.string(), attempts: z.number().int().positive(), error: z.string() }),
  },
  'customer.created': { description: 'A customer was created from a paying email.', data: z.looseObject({ id, email: z.string(), name: z.string().nullable() }) },
  'lead.created': { description: 'A marketing lead was added.', data: z.looseObject({ id, email: z.string(), source: z.string().nullable(), eventId: id.nullable() }) },
  'lead.updated': { description: 'An import changed a lead.', data: z.looseObject({ id, changes }) },
  'lead.converted': { description: "A lead's email paid for an order.", data: z.looseObject({ id, order: orderCode }) },
  'staff.created': { description: 'A staff member was added.', data: z.looseObject({ id, name: z.string(), role: z.enum(['admin', 'manager', 'clerk', 'door']) }) },
  'staff.disabled': { description: 'A staff member can no longer log in.', data: z.looseObject({ id, name: z.string() }) },
  'staff.pin_reset': { description: "A staff member's PIN was reset (which also unlocks them).", data: z.looseObject({ id, name: z.string() }) },
  'staff.login_failed': {
    description:
      'A wrong PIN, or an unknown name (id null), was tried. failures counts wrong PINs in a row; locked: the member is locked until a manager unlocks them; retryAfter: when the next attempt may be made.',
    data: z.looseObject({ id: id.nullable(), name: z.string(), failures: z.number().int().positive().nullable(), locked: z.boolean(), retryAfter: z.string().nullable() }),
  },
  'staff.unlocked': { description: 'A manager let a member locked out by wrong PINs try again.', data: z.looseObject({ id, name: z.string(), failures: z.number().int().positive() }) },
  'database.marked_rehearsal': {
    description: 'An admin marked the database, for good, as a rehearsal database: BOXOFFICE_NOW may move its clock from now on.',
    data: z.looseObject({ since: iso }),
  },
  'cashup.float_set': { description: "An operator's drawer got its opening float.", data: z.looseObject({ operator: z.string(), currency, float: minor }) },
  'cashup.counted': {
    description: "The cash in an operator's drawer was counted.",
    data: z.looseObject({ operator: z.string(), currency, counted: minor, expected: z.number().int(), variance: z.number().int() }),
  },
  'cashup.closed': {
    description: 'A cash-up period was closed: a numbered Z report, chained by SHA-256 to the one before.',
    data: z.looseObject({
      number: id,
      operator: z.string(),
      periodStart: iso.nullable(),
      periodEnd: iso,
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      prevHash: z.string().regex(/^[0-9a-f]{64}$/),
      drawers: z.array(drawerSummary),
    }),
  },
};

/** The CloudEvents 1.0 envelope around `data`, for one boxoffice event type. */
function envelopeSchema(type: string, data: z.ZodType) {
  return z.looseObject({
    specversion: z.literal('1.0'),
    id: z.string().min(1).describe('the outbox id: stable, so a receiver can de-duplicate'),
    source: z
      .string()
      .regex(/^urn:boxoffice:[0-9a-f-]{36}$/)
      .describe('one URN per database'),
    type: z.literal(`boxoffice.${type}`),
    time: iso,
    subject: z.string().min(1),
    datacontenttype: z.literal('application/json'),
    sequence: z
      .string()
      .regex(/^[1-9][0-9]*$/)
      .describe('the outbox sequence number, as a string (compare as an integer)'),
    operator: z.string().describe('who made the change (boxoffice extension)'),
    data,
  });
}

/** The JSON Schema (draft 2020-12) of one event type's CloudEvent. */
export function eventJsonSchema(type: string): Record<string, unknown> {
  const entry = EVENT_DATA_SCHEMAS[type];
  if (!entry) throw new Error(`no schema for event type ${type}`);
  const schema = z.toJSONSchema(envelopeSchema(type, entry.data)) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: `https://boxoffice.local/events/${type}.json`, title: `boxoffice.${type}`, description: entry.description, ...schema };
}
