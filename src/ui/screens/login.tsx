// Log in by name and PIN when staff exist. The core answers; a wrong name or PIN look the same.
import React, { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { Actor } from '../../core/staff/permissions.js';
import { is, typedKeys } from '../key-bindings.js';
import { useSyncReducer } from '../hooks/use-sync-reducer.js';
import { Screen } from '../components/screen.js';
import { TextField } from '../components/text-field.js';
import { noticeFrom, type NoticeData } from '../components/notice.js';
import { Gap } from '../components/gap.js';
import { useKeys } from '../hooks/use-keys.js';

interface LoginState {
  field: 'name' | 'pin';
  name: string;
  pin: string;
}

type LoginAction = { type: 'type'; text: string } | { type: 'backspace' } | { type: 'field'; field: 'name' | 'pin' } | { type: 'wrong' };

function loginReducer(state: LoginState, action: LoginAction): LoginState {
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

export function LoginScreen({ login, onLoggedIn, notice: initialNotice = null }: { login(name: string, pin: string): Promise<Actor>; onLoggedIn(actor: Actor): void; notice?: NoticeData | null }) {
  const [state, dispatch, current] = useSyncReducer(loginReducer, { field: 'name', name: '', pin: '' });
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

  return (
    <Screen title="log in" actor={null} legend="login" notice={notice}>
      <Box flexDirection="column" paddingTop={1} paddingLeft={2}>
        <Text bold>Staff are set up on this box office: log in with your name and PIN.</Text>
        <Gap />
        <TextField label="Name" value={state.name} focused={state.field === 'name'} />
        <TextField label="PIN" value={state.pin} focused={state.field === 'pin'} mask />
        <Gap />
        {busy ? <Text dimColor>Checking…</Text> : null}
      </Box>
    </Screen>
  );
}
