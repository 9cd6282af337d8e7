import { checkIn } from '../../../core/tickets/checkin.js';
import type { CoreSession } from '../../runtime/context.js';
import { paint, type IO } from '../../runtime/io.js';
import { oneLine, printJson } from '../../runtime/output.js';

export interface CheckinOptions {
  code: string;
  event?: string;
  gate?: string;
}

/** `boxoffice checkin <code>`: admits a ticket once, or says why not. */
export async function runCheckin(io: IO, session: CoreSession, opts: CheckinOptions): Promise<void> {
  const admission = await checkIn(session.ctx, { code: opts.code, event: opts.event, gate: opts.gate });
  if (session.global.json) return printJson(io, admission);
  io.stdout.write(
    `${paint(io, 'green', 'ADMITTED')}  ${oneLine(`${admission.event.name} · ${admission.seat ?? `${admission.section} (general admission)`} · ${admission.tier}`)} · order ${admission.order}\n`,
  );
}
