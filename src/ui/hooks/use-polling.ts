// Runs `poll` at once and then every `intervalMs` while the screen is open: counts and lists that
// other tills change.
import { useEffect } from 'react';

export function usePolling(poll: () => unknown, intervalMs: number): void {
  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), intervalMs);
    return () => clearInterval(timer);
  }, [poll, intervalMs]);
}
