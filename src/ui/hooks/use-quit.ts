// ctrl+c on any screen: release the hold, then close the TUI (once, however often it is pressed).
import { useRef } from 'react';
import { useApp } from 'ink';
import { is } from '../key-bindings.js';
import { useKeys } from './use-keys.js';

export function useQuit(releaseHold: () => Promise<void>): void {
  const { exit } = useApp();
  const quitting = useRef(false);
  useKeys((input, key) => {
    if (!is('quit', input, key) || quitting.current) return;
    quitting.current = true;
    void releaseHold().finally(() => exit());
  });
}
