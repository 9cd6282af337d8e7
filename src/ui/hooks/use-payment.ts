// The payment form's state and keys: method, tendered, card reference and email, checked here
// before the core is asked, and one idempotency key per attempt so a second Enter replays.
import { useRef } from 'react';
import type { SaleResult } from '../../core/orders/sale.js';
import type { OrderView } from '../../core/orders/view.js';
import type { Services } from '../services.js';
import { is, typedKeys } from '../key-bindings.js';
import { newPayment, paymentReducer, paymentRequest, tenderedProblem, type PaymentState } from '../state/payment.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useNow } from './use-now.js';
import { useSyncReducer } from './use-sync-reducer.js';
import { useKeys } from './use-keys.js';

export interface PaymentOptions {
  services: Services;
  order: OrderView;
  onPaid(result: SaleResult): void;
  onBack(notice: NoticeData | null): void;
}

export interface Payment {
  now: Date;
  state: PaymentState;
  /** What the form says under its title: taking payment, or why the last attempt failed. */
  notice: NoticeData | null;
  submit(): void;
}

export function usePayment({ services, order, onPaid, onBack }: PaymentOptions): Payment {
  const now = useNow(services.now);
  const [state, dispatch, current] = useSyncReducer(paymentReducer, () => newPayment(services.newPaymentKey()));
  const error = useRef<NoticeData | null>(null);

  const submit = () => {
    const s = current();
    if (s.submitting) return;
    // An amount the core would refuse is not sent: the clerk fixes it here first.
    const problem = s.method === 'cash' ? tenderedProblem(s.tendered, order.currency) : null;
    if (problem) {
      error.current = { kind: 'error', text: `Tendered: ${problem}`, hint: 'fix the amount, then enter' };
      return void dispatch({ type: 'failed', message: error.current.text });
    }
    dispatch({ type: 'submitting' });
    services.pay(order.code, paymentRequest(s, order.currency), { email: s.email.trim() || undefined }, s.key).then(
      (result) => onPaid(result),
      (err) => {
        error.current = noticeFrom(err);
        dispatch({ type: 'failed', message: error.current.text });
      },
    );
  };

  useKeys((input, key) => {
    const s = current();
    if (key.ctrl) return;
    if (s.submitting) return;
    if (is('backToCart', input, key)) return onBack(null);
    if (is('confirmPayment', input, key)) return submit();
    if (is('nextField', input, key)) return void dispatch({ type: 'field', delta: 1 });
    if (is('prevField', input, key)) return void dispatch({ type: 'field', delta: -1 });
    if (s.field === 'method') {
      if (is('cash', input, key)) return void dispatch({ type: 'method', method: 'cash', advance: true });
      if (is('card', input, key)) return void dispatch({ type: 'method', method: 'card', advance: true });
      if (is('comp', input, key)) return void dispatch({ type: 'method', method: 'comp', advance: true });
      if (is('prevMethod', input, key)) return void dispatch({ type: 'cycleMethod', delta: -1 });
      if (is('nextMethod', input, key)) return void dispatch({ type: 'cycleMethod', delta: 1 });
      return;
    }
    if (key.backspace || key.delete) return void dispatch({ type: 'backspace' });
    for (const k of typedKeys(input)) {
      if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
      else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
      else if (k.kind === 'tab') dispatch({ type: 'field', delta: 1 });
      else return submit();
    }
  });

  const notice: NoticeData | null = state.submitting ? { kind: 'info', text: 'Taking payment…' } : state.error ? (error.current ?? { kind: 'error', text: state.error }) : null;
  return { now, state, notice, submit };
}
