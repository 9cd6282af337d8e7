// The login form's keys and its one call: name and PIN to the core, which answers with the
// operator or one refusal for either being wrong (then the PIN is cleared for another try).
import { useState } from 'react';
import type { Actor } from '../../core/staff/permissions.js';
import { is, typedKeys } from '../key-bindings.js';
import { emptyLogin, loginReducer, type LoginState } from '../state/login.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { useSyncReducer } from './use-sync-reducer.js';
import { useKeys } from './use-keys.js';

export interface LoginOptions {
  login(name: string, pin: string): Promise<Actor>;
  onLoggedIn(actor: Actor): void;
  notice?: NoticeData | null;
}

export interface LoginModel {
  state: LoginState;
  notice: NoticeData | null;
  /** The core is checking the name and PIN. */
  busy: boolean;
  submit(): void;
}

export function useLogin({ login, onLoggedIn, notice: initialNotice = null }: LoginOptions): LoginModel {
  const [state, dispatch, current] = useSyncReducer(loginReducer, emptyLogin);
  const [notice, setNotice] = useState<NoticeData | null>(initialNotice);
  const [busy, setBusy] = useState(false);

  const submit = () => {
    const s = current();
    if (s.field === 'name' || !s.pin) {
      if (s.name.trim()) dispatch({ type: 'field', field: 'pin' });
      return;
    }
    if (busy) return;
    setBusy(true);
    login(s.name.trim(), s.pin).then(
      (actor) => onLoggedIn(actor),
      (err) => {
        setBusy(false);
        dispatch({ type: 'wrong' });
        setNotice(noticeFrom(err));
      },
    );
  };

  useKeys((input, key) => {
    if (key.ctrl || key.escape) return;
    if (is('loginNext', input, key)) return void dispatch({ type: 'field', field: current().field === 'name' ? 'pin' : 'name' });
    if (key.upArrow) return void dispatch({ type: 'field', field: 'name' });
    if (key.downArrow) return void dispatch({ type: 'field', field: 'pin' });
    if (key.backspace || key.delete) return void dispatch({ type: 'backspace' });
    if (is('loginSubmit', input, key)) return submit();
    for (const k of typedKeys(input)) {
      if (k.kind === 'text') dispatch({ type: 'type', text: k.text });
      else if (k.kind === 'backspace') dispatch({ type: 'backspace' });
      else if (k.kind === 'tab') dispatch({ type: 'field', field: current().field === 'name' ? 'pin' : 'name' });
      else submit();
    }
  });

  return { state, notice, busy, submit };
}
