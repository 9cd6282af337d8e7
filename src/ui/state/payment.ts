// The payment form: method, what the method needs, an optional email, and one idempotency key
// per attempt, so pressing Enter twice cannot charge twice.
export type Method = 'cash' | 'card' | 'comp';
export const METHODS: Method[] = ['cash', 'card', 'comp'];

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
      if (state.method === 'cash') return { ...state, tendered: state.tendered + action.text.replace(/[^\d.]/g, ''), error: null };
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

/** The payment request for the core, from what the form holds. */
export function paymentRequest(state: PaymentState): { method: Method; tendered?: string; cardRef?: string } {
  if (state.method === 'cash') return { method: 'cash', tendered: state.tendered.trim() || undefined };
  if (state.method === 'card') return { method: 'card', cardRef: state.cardRef.trim() };
  return { method: 'comp' };
}
