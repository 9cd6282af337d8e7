// After-sale actions on the receipt (print, email, save the PDF), over the core's ticket and mail
// modules. An action this build cannot do is left out, and the receipt shows it disabled.
import type { CoreContext } from '../core/context.js';
import type { TicketActions } from './services.js';

export function ticketActions(_ctx: CoreContext, _env: NodeJS.ProcessEnv): TicketActions {
  return {};
}
