// A ticket in its context: the one query every reader of tickets builds on (PDFs, email, the
// door, `tickets show`, order views, exports and reports). Readers add their own where/order.
import type { Queryable } from '../../db/transaction.js';
import type { Ticket } from '../../db/schema.js';
import { seatLabel } from '../inventory/seat-refs.js';

/** A ticket's life: held with its order, valid once paid, used at the door, void when refunded or reissued. */
export type TicketStatus = Ticket['status'];

/** A ticket with everything around it (order, event, venue, tier, section, seat, customer, check-in, reissue). */
export function ticketQuery(db: Queryable) {
  return db
    .selectFrom('tickets')
    .innerJoin('orders', 'orders.id', 'tickets.order_id')
    .innerJoin('events', 'events.id', 'tickets.event_id')
    .innerJoin('venues', 'venues.id', 'events.venue_id')
    .innerJoin('tiers', 'tiers.id', 'tickets.tier_id')
    .innerJoin('sections', 'sections.id', 'tickets.section_id')
    .leftJoin('seats', 'seats.id', 'tickets.seat_id')
    .leftJoin('customers', 'customers.id', 'orders.customer_id')
    .leftJoin('checkins', 'checkins.ticket_id', 'tickets.id')
    .select((eb) => [
      'tickets.id',
      'tickets.code',
      'tickets.status',
      'tickets.price',
      'tickets.order_id',
      'tickets.section_id',
      'tickets.seat_id',
      'tickets.tier_id',
      'tickets.issued_at',
      'tickets.voided_at',
      'tickets.replaces_id',
      'orders.code as order_code',
      'orders.currency',
      'orders.holder_name',
      'customers.name as customer_name',
      'customers.email as customer_email',
      'events.id as event_id',
      'events.name as event_name',
      'events.starts_at',
      'venues.name as venue',
      'venues.city',
      'venues.timezone',
      'tiers.name as tier',
      'sections.name as section',
      'seats.row_label',
      'seats.number',
      'checkins.scanned_at',
      'checkins.gate',
      'checkins.operator_name as checked_in_by',
      eb.selectFrom('tickets as r').select('r.code').whereRef('r.id', '=', 'tickets.replaces_id').as('replaces_code'),
      eb.selectFrom('tickets as r').select('r.code').whereRef('r.replaces_id', '=', 'tickets.id').limit(1).as('replaced_by_code'),
    ]);
}

/** One row of ticketQuery: the type every ticket shape is derived from. */
export type TicketRow = Awaited<ReturnType<ReturnType<typeof ticketQuery>['execute']>>[number];

/** The seat reference a ticket's seat goes by (the one seat pickers accept); null for general admission. */
export function ticketSeat(r: Pick<TicketRow, 'section' | 'row_label' | 'number'>, qualify: boolean): string | null {
  return r.row_label !== null && r.number !== null ? seatLabel({ section: r.section, row: r.row_label, number: r.number }, qualify) : null;
}
