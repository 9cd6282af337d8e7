// Re-renders every `intervalMs` with the clock's time: countdowns.
import { useEffect, useState } from 'react';

export function useNow(now: () => Date, intervalMs = 1000): Date {
  const [time, setTime] = useState(() => now());
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [now, intervalMs]);
  return time;
}
