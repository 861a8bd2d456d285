'use client';

import { useEffect, useRef } from 'react';
import type { LiveEventMap, LiveEventName } from '@/lib/live/types';

export type LiveHandlers = { [K in LiveEventName]?: (data: LiveEventMap[K]) => void };

/** Every event name, checked against LiveEventMap by the compiler so a new event cannot be forgotten. */
const EVENT_NAMES = Object.keys({
  status: true,
  viewers: true,
  directory: true,
  'chat-history': true,
  'chat-message': true,
  'chat-delete': true,
  'chat-room': true,
} satisfies Record<LiveEventName, true>) as LiveEventName[];

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
 * sends `retry:`); every (re)connect starts with a full state, or for chat with the messages after
 * the last event id it saw (EventSource sends Last-Event-ID itself), so nothing is missed. A page
 * opens one stream and hands every event of it to its parts through `handlers`.
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
  const listeners = EVENT_NAMES.map((name) => {
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
