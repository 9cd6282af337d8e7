import { showOrder } from '../../../core/orders/view.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printOrder } from '../../runtime/render.js';

/** `boxoffice order show <code>`. */
export async function runShow(io: IO, session: CoreSession, opts: { code: string }): Promise<void> {
  printOrder(io, await showOrder(session.ctx, opts.code), Boolean(session.global.json));
}
