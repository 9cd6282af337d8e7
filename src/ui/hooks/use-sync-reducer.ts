// A reducer whose latest state is readable at once. Keys can arrive several to one chunk (a
// scanner, tmux, a fast typist): each handler must see the state the previous key left, not
// the one of the last render.
import { useCallback, useRef, useState } from 'react';

export function useSyncReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => S, () => S] {
  const ref = useRef<S | undefined>(undefined);
  if (ref.current === undefined) ref.current = typeof initial === 'function' ? (initial as () => S)() : initial;
  const [state, setState] = useState<S>(ref.current);
  const dispatch = useCallback(
    (action: A) => {
      const next = reducer(ref.current as S, action);
      ref.current = next;
      setState(next);
      return next;
    },
    [reducer],
  );
  const current = useCallback(() => ref.current as S, []);
  return [state, dispatch, current];
}
