// The login form's own state: which field has the cursor, the name and the PIN typed so far.
export interface LoginState {
  field: 'name' | 'pin';
  name: string;
  pin: string;
}

export type LoginAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'field'; field: 'name' | 'pin' } | { type: 'wrong' };

export function loginReducer(state: LoginState, action: LoginAction): LoginState {
  switch (action.type) {
    case 'type':
      return state.field === 'name' ? { ...state, name: (state.name + action.text).slice(0, 60) } : { ...state, pin: (state.pin + action.text).slice(0, 12) };
    case 'backspace':
      return state.field === 'name' ? { ...state, name: state.name.slice(0, -1) } : { ...state, pin: state.pin.slice(0, -1) };
    case 'field':
      return { ...state, field: action.field };
    case 'wrong':
      return { ...state, pin: '', field: 'pin' };
  }
}

export const emptyLogin: LoginState = { field: 'name', name: '', pin: '' };
