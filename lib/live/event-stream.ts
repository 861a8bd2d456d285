// Turns a subscription into a text/event-stream Response that cleans up after itself.
//
// The subscription ends exactly once, whichever comes first: the request is aborted (tab closed,
// navigation, proxy gone), the body stream is cancelled by the server, a write fails, or the
// reader falls too far behind. A comment line every `heartbeatMs` keeps idle proxies from closing
// the connection and renews the viewer lease (a write that succeeds means someone is still
// reading, as far as TCP can tell).
//
// Each reader's queue is bounded in bytes (READER_QUEUE_MAX_BYTES): the body pulls only as fast as
// the client reads, so a reader that stopped reading would otherwise hold every event published
// since. Past the bound the stream is errored (the client sees the connection drop) and the
// browser reconnects with Last-Event-ID, which replays what it missed from the database.
import { consoleLogger, type Logger } from '../logger';
import type { ChannelRow, LiveHub } from './live-hub';
import type { ViewerPresence } from './presence';
import type { PublishedEvent } from './published-event';
import { serializeSseComment, serializeSseEvent, serializeSseRetry, SSE_HEADERS } from './sse';
import type { ChannelStatus, LiveEventMap, LiveEventName } from './types';

/** Bytes queued for one reader before it is dropped as too slow. */
export const READER_QUEUE_MAX_BYTES = 256 * 1024;

export type Send = <K extends LiveEventName>(event: K, data: LiveEventMap[K]) => void;

/** What a subscription writes to its one reader. */
export interface StreamOut {
  readonly send: Send;
  /** Writes an event encoded once for all its readers. */
  sendPublished(event: PublishedEvent): void;
  /** Ends the stream (the browser reconnects). */
  close(): void;
}

export class SlowReaderError extends Error {
  constructor(limit: number) {
    super(`event stream reader fell more than ${limit} bytes behind`);
    this.name = 'SlowReaderError';
  }
}

export interface EventStreamOptions {
  readonly signal: AbortSignal;
  /** Heartbeat comment period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Sets up the subscription; returns its cleanup. */
  readonly subscribe: (send: Send, out: StreamOut) => () => void;
  /** Runs after every successful heartbeat write. */
  readonly onHeartbeat?: () => void;
  /** Reconnect delay the browser should use (default 2 s). */
  readonly retryMs?: number;
  /** Queue bound in bytes (default READER_QUEUE_MAX_BYTES). */
  readonly maxQueuedBytes?: number;
  /** Runs once when the stream ends, whatever ended it. */
  readonly onEnd?: () => void;
  readonly logger?: Logger;
}

export function eventStreamResponse(options: EventStreamOptions): Response {
  const encoder = new TextEncoder();
  const maxQueuedBytes = options.maxQueuedBytes ?? READER_QUEUE_MAX_BYTES;
  let finish: (closeBody: boolean) => void = () => {};

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
      let finished = false;
      let unsubscribe: () => void = () => {};
      let heartbeat: ReturnType<typeof setInterval> | undefined = undefined;

      const writeBytes = (bytes: Uint8Array): boolean => {
        if (finished) return false;
        try {
          controller.enqueue(bytes);
        } catch {
          // enqueue throws only when the body was closed under us (client gone): end the subscription.
          finish(false);
          return false;
        }
        // desiredSize = bound - queued bytes: below zero the reader is too far behind.
        if ((controller.desiredSize ?? 0) < 0) {
          (options.logger ?? consoleLogger).warn('event_stream_slow_reader_dropped', { maxQueuedBytes });
          finish(false);
          controller.error(new SlowReaderError(maxQueuedBytes));
          return false;
        }
        return true;
      };
      const write = (text: string): boolean => writeBytes(encoder.encode(text));

      finish = (closeBody) => {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        options.signal.removeEventListener('abort', onAbort);
        unsubscribe();
        // desiredSize is null once the body errored; close() would throw there.
        if (closeBody && controller.desiredSize !== null) controller.close();
        options.onEnd?.();
      };
      const onAbort = () => finish(true);

      write(serializeSseRetry(options.retryMs ?? 2_000));
      const send: Send = (event, data) => void write(serializeSseEvent(event, data));
      const cleanup = options.subscribe(send, { send, sendPublished: (event) => void writeBytes(event.bytes), close: () => finish(true) });
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
    },
    new ByteLengthQueuingStrategy({ highWaterMark: maxQueuedBytes }),
  );

  return new Response(body, { headers: SSE_HEADERS });
}

/** A chat subscription riding on a channel stream (lib/chat/reader.ts makes one). */
export interface ChannelExtra {
  /** The channel's status as the stream just sent it (the chat opens and closes with it). */
  onStatus(status: ChannelStatus): void;
  stop(): void;
}
export type ChannelExtraFactory = (out: StreamOut) => ChannelExtra;

/**
 * A watch page's stream: counts as one viewer of the channel for as long as it is open, and
 * carries `status` and `viewers` events, plus the chat's when `chat` is given.
 */
export function channelEventStream(params: {
  row: ChannelRow;
  hub: LiveHub;
  presence: ViewerPresence;
  signal: AbortSignal;
  heartbeatMs?: number;
  /** The client's address key (lib/client-address.ts): caps how many of its connections count. */
  address?: string;
  chat?: ChannelExtraFactory;
  maxQueuedBytes?: number;
  /** Runs once when the stream ends (the caller's per-address slot). */
  onEnd?: () => void;
}): Response {
  const { row, hub, presence } = params;
  // Joined before the first event, so the page's own tab is in the count it is sent.
  const viewer = presence.join(row.id, params.address);
  return eventStreamResponse({
    signal: params.signal,
    heartbeatMs: params.heartbeatMs,
    maxQueuedBytes: params.maxQueuedBytes,
    onEnd: params.onEnd,
    onHeartbeat: () => viewer.touch(),
    subscribe: (send, out) => {
      // The chat subscribes first (its first events come after an async read), so status and
      // viewers are still the first events of the stream.
      const chat = params.chat?.(out);
      const unwatch = hub.watchChannel(row, (event, data) => {
        send(event, data);
        if (event === 'status') chat?.onStatus(data as ChannelStatus);
      });
      return () => {
        unwatch();
        chat?.stop();
        viewer.leave();
      };
    },
  });
}

/**
 * The pop-out chat's stream: `status` and the chat's events; NOT a viewer of the channel.
 * `onEnd` releases the caller's per-address slot.
 */
export function chatOnlyEventStream(params: {
  row: ChannelRow;
  hub: LiveHub;
  signal: AbortSignal;
  chat: ChannelExtraFactory;
  heartbeatMs?: number;
  onEnd?: () => void;
}): Response {
  return eventStreamResponse({
    signal: params.signal,
    heartbeatMs: params.heartbeatMs,
    onEnd: params.onEnd,
    subscribe: (send, out) => {
      const chat = params.chat(out);
      const unwatch = params.hub.watchChannel(params.row, (event, data) => {
        if (event !== 'status') return;
        send(event, data);
        chat.onStatus(data as ChannelStatus);
      });
      return () => {
        unwatch();
        chat.stop();
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
