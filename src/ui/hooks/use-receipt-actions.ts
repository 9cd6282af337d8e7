// The receipt's keys: print, email or save the tickets as a PDF (one at a time, each saying what
// it did), the next sale, or back to the events.
import { useRef, useState } from 'react';
import type { SaleResult } from '../../core/orders/sale.js';
import type { Services } from '../services.js';
import { is } from '../key-bindings.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useKeys } from './use-keys.js';

const ACTIONS: { binding: 'print' | 'email' | 'savePdf'; action: 'print' | 'email' | 'savePdf'; doing: string }[] = [
  { binding: 'print', action: 'print', doing: 'Printing' },
  { binding: 'email', action: 'email', doing: 'Emailing' },
  { binding: 'savePdf', action: 'savePdf', doing: 'Saving the PDF' },
];

export interface ReceiptActionsOptions {
  services: Services;
  result: SaleResult;
  onNext(): void;
  onEvents(): void;
}

export interface ReceiptActions {
  notice: NoticeData | null;
  /** The key bindings of the actions this build does not have: the legend shows them disabled. */
  missing: string[];
  run(action: (typeof ACTIONS)[number]): void;
}

export function useReceiptActions({ services, result, onNext, onEvents }: ReceiptActionsOptions): ReceiptActions {
  const [notice, setNotice] = useState<NoticeData | null>(null);
  const busy = useRef(false);
  const missing = ACTIONS.filter((a) => !services.tickets[a.action]).map((a) => a.binding);

  const run = (a: (typeof ACTIONS)[number]) => {
    const action = services.tickets[a.action];
    if (!action) return void setNotice({ kind: 'info', text: `${a.doing.replace(/^Saving the/, 'Saving a')} is not available in this build yet`, hint: 'the order is paid and its tickets are valid' });
    if (busy.current) return;
    busy.current = true;
    setNotice({ kind: 'info', text: `${a.doing}…` });
    action(result.code)
      .then(
        (message) => setNotice({ kind: 'ok', text: message }),
        (err) => setNotice(noticeFrom(err)),
      )
      .finally(() => (busy.current = false));
  };

  useKeys((input, key) => {
    if (key.ctrl) return;
    if (is('nextSale', input, key)) return onNext();
    if (is('receiptToEvents', input, key)) return onEvents();
    const a = ACTIONS.find((x) => is(x.binding, input, key));
    if (a) run(a);
  });

  return { notice, missing, run };
}
