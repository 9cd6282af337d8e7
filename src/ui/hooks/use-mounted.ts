// Whether the component is still on screen: an answer from the core may come back after the
// clerk left, and then must not touch the state of a screen that is gone.
import { useEffect, useRef, type RefObject } from 'react';

export function useMounted(): RefObject<boolean> {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);
  return mounted;
}
