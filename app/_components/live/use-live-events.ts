'use client';

import { useEffect, useRef } from 'react';
import type { LiveEventMap, LiveEventName } from '@/lib/live/types';

export type LiveHandlers = { [K in LiveEventName]?: (data: LiveEventMap[K]) => void };

export interface LiveEventsOptions {
  /**
   * Close the stream while the tab is hidden and reopen it when shown. For pages that are not a
   * viewer of anything (the directory): browsers allow only ~6 HTTP/1.1 connections per host, and
   * background tabs should not hold them.
   */
  pauseWhenHidden?: boolean;
}

/**
 * Listens to one of our event streams. EventSource reconnects by itself after a drop (the server
 * sends `retry:`); every (re)connect starts with a full state, so nothing is missed.
 */
export function useLiveEvents(url: string, handlers: LiveHandlers, options: LiveEventsOptions = {}): void {
  const latest = useRef(handlers);
  const pauseWhenHidden = options.pauseWhenHidden ?? false;
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    let close = pauseWhenHidden && document.visibilityState === 'hidden' ? () => {} : open(url, latest);
    if (!pauseWhenHidden) return () => close();
    const onVisibility = () => {
      close();
      close = document.visibilityState === 'hidden' ? () => {} : open(url, latest);
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      close();
    };
  }, [url, pauseWhenHidden]);
}

/** Opens the stream and routes its events to the current handlers; returns the close function. */
function open(url: string, latest: { readonly current: LiveHandlers }): () => void {
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
}
