// Turns a subscription into a text/event-stream Response that cleans up after itself.
//
// The subscription ends exactly once, whichever comes first: the request is aborted (tab closed,
// navigation, proxy gone), the body stream is cancelled by the server, or a write fails. A comment
// line every `heartbeatMs` keeps idle proxies from closing the connection and renews the viewer
// lease (a write that succeeds means someone is still reading, as far as TCP can tell).
import type { ChannelRow, LiveHub } from './live-hub';
import type { ViewerPresence } from './presence';
import { serializeSseComment, serializeSseEvent, serializeSseRetry, SSE_HEADERS } from './sse';
import type { LiveEventMap, LiveEventName } from './types';

export type Send = <K extends LiveEventName>(event: K, data: LiveEventMap[K]) => void;

export interface EventStreamOptions {
  readonly signal: AbortSignal;
  /** Heartbeat comment period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Sets up the subscription; returns its cleanup. */
  readonly subscribe: (send: Send) => () => void;
  /** Runs after every successful heartbeat write. */
  readonly onHeartbeat?: () => void;
  /** Reconnect delay the browser should use (default 2 s). */
  readonly retryMs?: number;
}

export function eventStreamResponse(options: EventStreamOptions): Response {
  const encoder = new TextEncoder();
  let finish: (closeBody: boolean) => void = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let finished = false;
      let unsubscribe: () => void = () => {};
      let heartbeat: ReturnType<typeof setInterval> | undefined = undefined;

      const write = (text: string): boolean => {
        if (finished) return false;
        try {
          controller.enqueue(encoder.encode(text));
          return true;
        } catch {
          // enqueue throws only when the body was closed under us (client gone): end the subscription.
          finish(false);
          return false;
        }
      };

      finish = (closeBody) => {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        options.signal.removeEventListener('abort', onAbort);
        unsubscribe();
        // desiredSize is null once the body errored; close() would throw there.
        if (closeBody && controller.desiredSize !== null) controller.close();
      };
      const onAbort = () => finish(true);

      write(serializeSseRetry(options.retryMs ?? 2_000));
      const cleanup = options.subscribe((event, data) => void write(serializeSseEvent(event, data)));
      // A write may already have failed during subscribe(); then the cleanup is due right away.
      if (finished) return cleanup();
      unsubscribe = cleanup;
      heartbeat = setInterval(() => {
        if (write(serializeSseComment('keep-alive'))) options.onHeartbeat?.();
      }, options.heartbeatMs ?? 15_000);
      if (options.signal.aborted) finish(true);
      else options.signal.addEventListener('abort', onAbort);
    },
    cancel() {
      finish(false);
    },
  });

  return new Response(body, { headers: SSE_HEADERS });
}

/**
 * A watch page's stream: counts as one viewer of the channel for as long as it is open, and
 * carries `status` and `viewers` events.
 */
export function channelEventStream(params: {
  row: ChannelRow;
  hub: LiveHub;
  presence: ViewerPresence;
  signal: AbortSignal;
  heartbeatMs?: number;
  /** The client's address key (lib/client-address.ts): caps how many of its connections count. */
  address?: string;
}): Response {
  const { row, hub, presence } = params;
  // Joined before the first event, so the page's own tab is in the count it is sent.
  const viewer = presence.join(row.id, params.address);
  return eventStreamResponse({
    signal: params.signal,
    heartbeatMs: params.heartbeatMs,
    onHeartbeat: () => viewer.touch(),
    subscribe: (send) => {
      const unwatch = hub.watchChannel(row, (event, data) => send(event, data));
      return () => {
        unwatch();
        viewer.leave();
      };
    },
  });
}

/** The directory's stream: `directory` snapshots; does not count as a viewer of anything. */
export function directoryEventStream(params: { hub: LiveHub; signal: AbortSignal; heartbeatMs?: number }): Response {
  return eventStreamResponse({
    signal: params.signal,
    heartbeatMs: params.heartbeatMs,
    subscribe: (send) => params.hub.watchDirectory((snapshot) => send('directory', snapshot)),
  });
}
