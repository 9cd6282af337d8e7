// The payment form: method, what the method needs, an optional email, and one idempotency key
// per attempt, so pressing Enter twice cannot charge twice.
import { BoxofficeError } from '../../core/errors.js';
import { formatMajor, parseMoney } from '../../core/money.js';
import { PAYMENT_METHODS, type PaymentMethod, type PaymentRequest } from '../../core/orders/payment.js';

/** The methods taken at the till: all but sales made on another channel. */
export type Method = Exclude<PaymentMethod, 'external'>;
export const METHODS: Method[] = PAYMENT_METHODS.filter((m): m is Method => m !== 'external');

export type Field = 'method' | 'detail' | 'email';

export interface PaymentState {
  method: Method;
  field: Field;
  tendered: string;
  cardRef: string;
  email: string;
  /** Made when the form opens, kept across retries of the same attempt. */
  key: string;
  submitting: boolean;
  error: string | null;
}

export type PaymentAction =
  | { type: 'method'; method: Method; advance?: boolean }
  | { type: 'cycleMethod'; delta: number }
  | { type: 'field'; delta: number }
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  | { type: 'submitting' }
  | { type: 'failed'; message: string };

export function newPayment(key: string): PaymentState {
  return { method: 'cash', field: 'detail', tendered: '', cardRef: '', email: '', key, submitting: false, error: null };
}

function fieldsFor(method: Method): Field[] {
  return method === 'comp' ? ['method', 'email'] : ['method', 'detail', 'email'];
}

export function paymentReducer(state: PaymentState, action: PaymentAction): PaymentState {
  switch (action.type) {
    case 'method': {
      // Picked by its letter: straight on to what that method needs next.
      const field: Field = action.advance ? (action.method === 'comp' ? 'email' : 'detail') : fieldsFor(action.method).includes(state.field) ? state.field : 'method';
      return { ...state, method: action.method, error: null, field };
    }
    case 'cycleMethod': {
      const i = METHODS.indexOf(state.method);
      return paymentReducer(state, { type: 'method', method: METHODS[(i + action.delta + METHODS.length) % METHODS.length] });
    }
    case 'field': {
      const fields = fieldsFor(state.method);
      const i = Math.max(0, fields.indexOf(state.field));
      return { ...state, field: fields[(i + action.delta + fields.length) % fields.length] };
    }
    case 'type': {
      if (state.field === 'method') return state;
      if (state.field === 'email') return { ...state, email: state.email + action.text, error: null };
      // Kept as typed: a comma or a symbol is shown and explained (tenderedProblem), never dropped.
      if (state.method === 'cash') return { ...state, tendered: state.tendered + action.text, error: null };
      return { ...state, cardRef: state.cardRef + action.text, error: null };
    }
    case 'backspace': {
      if (state.field === 'email') return { ...state, email: state.email.slice(0, -1) };
      if (state.field === 'detail' && state.method === 'cash') return { ...state, tendered: state.tendered.slice(0, -1) };
      if (state.field === 'detail') return { ...state, cardRef: state.cardRef.slice(0, -1) };
      return state;
    }
    case 'submitting':
      return { ...state, submitting: true, error: null };
    case 'failed':
      return { ...state, submitting: false, error: action.message };
  }
}

/** The payment request for the core, from what the form holds (a tendered amount tenderedProblem passed). */
export function paymentRequest(state: PaymentState, currency: string): PaymentRequest {
  const tendered = state.tendered.trim();
  if (state.method === 'cash') return tendered ? { method: 'cash', tendered: parseMoney(tendered, currency, 'tendered') } : { method: 'cash' };
  if (state.method === 'card') return { method: 'card', cardRef: state.cardRef.trim() };
  return { method: 'comp' };
}

/**
 * What is wrong with the tendered amount as typed, in the core's own rules (parseMoney), said for
 * the clerk at the till; null when it is blank (the exact amount) or an amount the core takes.
 */
export function tenderedProblem(typed: string, currency: string): string | null {
  const text = typed.trim();
  if (!text) return null;
  try {
    parseMoney(text, currency, 'tendered');
    return null;
  } catch (err) {
    if (!(err instanceof BoxofficeError)) throw err;
    // "60,5": a decimal comma. Show the amount it would be with a dot.
    if (/^\d+,\d+$/.test(text)) {
      try {
        return `use a dot for decimals: ${formatMajor(parseMoney(text.replace(',', '.'), currency), currency)}`;
      } catch {
        return 'use a dot for decimals and no thousands separators, e.g. 60.50';
      }
    }
    if (/^[\d.,]+$/.test(text) && /,/.test(text)) return 'no thousands separators: digits, and a dot for decimals, e.g. 1250.50';
    if (/^\d+\.$/.test(text)) return 'the decimals go after the dot, e.g. 60.50';
    // Digits the core still refuses: too many decimals for the currency, or too large.
    if (/^\d+(\.\d+)?$/.test(text)) return err.message;
    return `type the amount in digits, with a dot for decimals (e.g. 60.50), not ${JSON.stringify(text)}`;
  }
}
