// The text/event-stream wire format (HTML Living Standard, "Server-sent events", 9.2.5):
// "event:" names the event, each line of the payload is its own "data:" line, a blank line
// dispatches it, and a line starting with ":" is a comment the browser ignores (our heartbeat).
import type { LiveEventMap, LiveEventName } from './types';

/** Longest event we ever write; a payload beyond this is a bug upstream, not something to stream. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** `id` (the chat sequence number) becomes the event's "id:" line, which EventSource sends back as Last-Event-ID. */
export function serializeSseEvent<K extends LiveEventName>(event: K, data: LiveEventMap[K], id?: number): string {
  const json = JSON.stringify(data);
  if (json.length > MAX_EVENT_BYTES) throw new Error(`SSE event "${event}" is ${json.length} bytes, over ${MAX_EVENT_BYTES}`);
  // JSON.stringify never emits a raw newline, so one data line always holds the whole payload.
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}event: ${event}\ndata: ${json}\n\n`;
}

/** A comment line: keeps proxies and the browser from timing the connection out. */
export function serializeSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** "retry:" tells EventSource how long to wait (ms) before reconnecting after a drop. */
export function serializeSseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

/** Response headers for an event stream that must pass through nginx and other proxies unbuffered. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  Connection: 'keep-alive',
  // nginx buffers proxied responses by default, which would hold events back indefinitely.
  'X-Accel-Buffering': 'no',
};
