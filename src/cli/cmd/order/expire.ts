import { expireHolds } from '../../../core/orders/lifecycle.js';
import type { CoreSession } from '../../runtime/context.js';
import type { IO } from '../../runtime/io.js';
import { printJson, say } from '../../runtime/output.js';

/** `boxoffice expire`: ends every hold whose time has run out. */
export async function runExpire(io: IO, session: CoreSession): Promise<void> {
  const result = await expireHolds(session.ctx);
  if (session.global.json) return printJson(io, result);
  say(io, result.expired.length ? `Expired ${result.expired.length} hold(s): ${result.expired.join(', ')}` : 'No holds were due to expire.');
}
