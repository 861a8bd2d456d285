// The chat's fan-out: publish an event to a channel, subscribe to a channel's events. Everything
// that sends chat events goes through this interface, so a shared bus (README "Chat": PostgreSQL
// LISTEN/NOTIFY) can replace the in-process one when several web app processes serve one site.
import { PublishedEvent } from '../live/published-event';

export type ChatBusEventName = 'chat-message' | 'chat-delete' | 'chat-room';
export type ChatBusEvent = PublishedEvent<'chat-message'> | PublishedEvent<'chat-delete'> | PublishedEvent<'chat-room'>;
export type ChatBusListener = (event: ChatBusEvent) => void;

export interface ChatBus {
  publish(channelId: string, event: ChatBusEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(channelId: string, listener: ChatBusListener): () => void;
}

/** One process's bus: listeners are called synchronously, in publish order. */
export class InProcessChatBus implements ChatBus {
  private readonly channels = new Map<string, Set<ChatBusListener>>();

  publish(channelId: string, event: ChatBusEvent): void {
    const listeners = this.channels.get(channelId);
    if (!listeners) return;
    // A listener may unsubscribe (its reader closed) while we iterate: iterate a copy.
    for (const listener of [...listeners]) listener(event);
  }

  subscribe(channelId: string, listener: ChatBusListener): () => void {
    let listeners = this.channels.get(channelId);
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channelId, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.channels.get(channelId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.channels.delete(channelId);
    };
  }

  /** Readers subscribed to a channel (for tests and the bench). */
  listenerCount(channelId: string): number {
    return this.channels.get(channelId)?.size ?? 0;
  }
}
