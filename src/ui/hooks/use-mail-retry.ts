// Mail that could not go at the time of sale is retried while the till is open, one round at a
// time; a failed round is tried again at the next.
import { useEffect } from 'react';

export function useMailRetry(retry: (() => Promise<number>) | undefined, intervalMs: number): void {
  useEffect(() => {
    if (!retry) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      retry()
        .catch(() => 0)
        .finally(() => (running = false));
    }, intervalMs);
    return () => clearInterval(timer);
  }, [retry, intervalMs]);
}
