// One event published to many readers: serialized and UTF-8 encoded once, on first use, however
// many streams write it (the chat of a busy channel has thousands of readers per message).
import { serializeSseEvent } from './sse';
import type { LiveEventMap, LiveEventName } from './types';

const encoder = new TextEncoder();

export class PublishedEvent<K extends LiveEventName = LiveEventName> {
  private encoded: Uint8Array | null = null;

  constructor(
    readonly name: K,
    readonly data: LiveEventMap[K],
    /** The SSE `id:` (chat sequence number), or null for an event that carries none. */
    readonly id: number | null = null,
  ) {}

  /** The event's text/event-stream bytes; the same array every time, so writers must not modify it. */
  get bytes(): Uint8Array {
    this.encoded ??= encoder.encode(serializeSseEvent(this.name, this.data, this.id ?? undefined));
    return this.encoded;
  }
}
