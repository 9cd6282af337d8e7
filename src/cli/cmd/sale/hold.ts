import { holdSeats } from '../../../core/orders/sale.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { say } from '../../runtime/output.js';
import { clockTime, printOrder } from '../../runtime/render.js';
import { count, parseSelection, parseTierSpec, type SelectionFlags } from '../../runtime/parse.js';

export interface BuyerFlags {
  email?: string;
  name?: string;
}

export interface HoldOptions extends SelectionFlags, BuyerFlags {
  event: string;
  tier?: string;
  minutes?: string;
}

/** `boxoffice hold <event>`: holds the places asked for and says until when. */
export async function runHold(io: IO, session: CoreSession, opts: HoldOptions): Promise<void> {
  const { ctx, global } = session;
  const selection = parseSelection(opts);
  const minutes = count(opts.minutes, '--minutes');
  const tier = opts.tier === undefined ? undefined : parseTierSpec(opts.tier);
  const order = await holdSeats(ctx, { event: opts.event, ...selection, tier, email: opts.email, name: opts.name, minutes });
  printOrder(io, order, Boolean(global.json), `Held order ${order.code}`);
  if (!global.json && order.expiresAt)
    say(io, `Pay before ${clockTime(order.expiresAt, order.event.timezone, ctx.clock.now())} (${order.event.timezone}): boxoffice order pay ${order.code} --pay cash`);
}
