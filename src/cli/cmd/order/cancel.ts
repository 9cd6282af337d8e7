import { cancelOrder } from '../../../core/orders/lifecycle.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printOrder } from '../../runtime/render.js';

/** `boxoffice order cancel <code>`: ends a hold and frees its seats. */
export async function runCancel(io: IO, session: CoreSession, opts: { code: string; reason?: string }): Promise<void> {
  const result = await cancelOrder(session.ctx, opts.code, opts.reason);
  printOrder(io, result, Boolean(session.global.json), `Order ${result.code} is ${result.status}; its seats are free again`);
}
