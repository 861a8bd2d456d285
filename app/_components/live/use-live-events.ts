'use client';

import { useEffect, useRef } from 'react';
import type { LiveEventMap, LiveEventName } from '@/lib/live/types';

export type LiveHandlers = { [K in LiveEventName]?: (data: LiveEventMap[K]) => void };

/**
 * Listens to one of our event streams. EventSource reconnects by itself after a drop (the server
 * sends `retry:`); every reconnect starts with a full state, so nothing is missed.
 */
export function useLiveEvents(url: string, handlers: LiveHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const source = new EventSource(url);
    const names: LiveEventName[] = ['status', 'viewers', 'directory'];
    const listeners = names.map((name) => {
      const listener = (event: MessageEvent<string>) => {
        const handler = latest.current[name] as ((data: unknown) => void) | undefined;
        if (!handler) return;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch (error) {
          console.error(`[live] bad ${name} event`, error);
          return;
        }
        handler(data);
      };
      source.addEventListener(name, listener);
      return [name, listener] as const;
    });
    return () => {
      for (const [name, listener] of listeners) source.removeEventListener(name, listener);
      source.close();
    };
  }, [url]);
}
