'use client';

import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `periodMs`. Starts from `initial` (the server's render time) so
 * the first client render matches the server's HTML.
 */
export function useNow(initial: number, periodMs = 1_000): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
