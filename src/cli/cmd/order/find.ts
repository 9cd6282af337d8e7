import { listOrders } from '../../../core/orders/view.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printJson } from '../../runtime/output.js';
import { printOrders } from './list.js';

/** `boxoffice order find <text>`: orders by code, name, email or phone. */
export async function runFind(io: IO, session: CoreSession, opts: { text: string }): Promise<void> {
  const orders = await listOrders(session.ctx, { text: opts.text });
  if (session.global.json) return printJson(io, orders);
  printOrders(io, orders);
}
