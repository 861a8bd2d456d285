// One reader's chat on an event stream (the watch page's or the pop-out's), as the contract says:
// subscribe to the bus first, then read the database (history, or the events after Last-Event-ID),
// then pass the live events that arrived meanwhile, dropping those the read already sent. After
// that every bus event goes straight through, encoded once for all readers.
import type { Db } from '../db';
import type { ChannelExtra, ChannelExtraFactory, StreamOut } from '../live/event-stream';
import { PublishedEvent } from '../live/published-event';
import type { ChannelStatus, ChatRoomState } from '../live/types';
import { consoleLogger, errorMessage, type Logger } from '../logger';
import type { ChatBus, ChatBusEvent } from './bus';
import type { ChatChannel } from './channel';
import { CHAT_HISTORY_SIZE, CHAT_RESUME_MAX } from './limits';
import { ReplayFence, resumeKind } from './resume';
import { chatRoomState, type ChatRoomSettings } from './room';
import { chatEventsAfter, chatHistory, type StoredChatEvent } from './store';

/** Tells one reader the room state when it changes: settings come from the bus, live status from the stream. */
export class RoomTracker {
  private settings: ChatRoomSettings;
  private isLive: boolean;
  private lastSent = '';

  constructor(settings: ChatRoomSettings, isLive: boolean) {
    this.settings = settings;
    this.isLive = isLive;
  }

  get state(): ChatRoomState {
    return chatRoomState(this.settings, this.isLive);
  }

  /** The state to send now (marks it sent), or null when the reader already has it. */
  take(): ChatRoomState | null {
    const state = this.state;
    const key = JSON.stringify(state);
    if (key === this.lastSent) return null;
    this.lastSent = key;
    return state;
  }

  setLive(isLive: boolean): void {
    this.isLive = isLive;
  }

  setSettings(settings: ChatRoomSettings): void {
    this.settings = settings;
  }
}

export interface ChatReaderOptions {
  readonly db: Db;
  readonly bus: ChatBus;
  readonly channel: ChatChannel;
  /** The parsed Last-Event-ID (lib/chat/resume.ts), or null. */
  readonly lastEventId: number | null;
  readonly logger?: Logger;
}

/** The chat half of a channel stream, for lib/live/event-stream.ts. */
export function chatReader(options: ChatReaderOptions): ChannelExtraFactory {
  return (out) => followChat(options, out);
}

function followChat(options: ChatReaderOptions, out: StreamOut): ChannelExtra {
  const { db, bus, channel } = options;
  const logger = options.logger ?? consoleLogger;
  const room = new RoomTracker({ mode: channel.mode, slowModeSeconds: channel.slowModeSeconds }, channel.isLive);
  let stopped = false;
  /** Bus events that arrived before the database read was sent; null once live. */
  let pending: ChatBusEvent[] | null = [];
  let fence = new ReplayFence(0);

  const sendRoom = () => {
    const state = room.take();
    if (state) out.send('chat-room', state);
  };

  const deliver = (event: ChatBusEvent) => {
    if (event.name === 'chat-room') {
      room.setSettings({ mode: event.data.mode, slowModeSeconds: event.data.slowModeSeconds });
      sendRoom();
      return;
    }
    if (event.id !== null && !fence.admit(event.id)) return;
    out.sendPublished(event);
  };

  const unsubscribe = bus.subscribe(channel.id, (event) => {
    if (pending) pending.push(event);
    else deliver(event);
  });

  const start = async () => {
    const missed =
      options.lastEventId === null ? null : await chatEventsAfter(db, channel.id, options.lastEventId, CHAT_RESUME_MAX + 1);
    if (stopped) return;
    if (missed && options.lastEventId !== null && resumeKind(options.lastEventId, missed.rows) === 'replay') {
      fence = new ReplayFence(options.lastEventId);
      for (const event of missed.events) {
        if (!fence.admit(event.id)) continue;
        out.sendPublished(publishedOf(event));
      }
    } else {
      // The newest id first, then the history up to it: every event after it reaches this reader
      // through the bus (it was published after we subscribed), none twice.
      const newest = await newestEventId(db, channel.id);
      const messages = await chatHistory(db, channel.id, CHAT_HISTORY_SIZE, newest);
      if (stopped) return;
      fence = new ReplayFence(newest);
      out.send('chat-history', { messages, room: room.state });
    }
    const buffered = pending ?? [];
    pending = null;
    sendRoom();
    for (const event of buffered) deliver(event);
  };

  start().catch((error: unknown) => {
    logger.error('chat_reader_start_failed', { channelId: channel.id, error: errorMessage(error) });
    // Without its start the reader would miss events silently: end the stream, the browser reconnects.
    out.close();
  });

  return {
    onStatus(status: ChannelStatus) {
      room.setLive(status.isLive);
      // Before the start is sent, the room goes out with it.
      if (pending === null && !stopped) sendRoom();
    },
    stop() {
      stopped = true;
      pending = null;
      unsubscribe();
    },
  };
}

function publishedOf(event: StoredChatEvent): PublishedEvent {
  return event.kind === 'message'
    ? new PublishedEvent('chat-message', event.message, event.id)
    : new PublishedEvent('chat-delete', { ids: event.ids }, event.id);
}

async function newestEventId(db: Db, channelId: string): Promise<number> {
  const row = await db.chatEvent.findFirst({ where: { channelId }, orderBy: { id: 'desc' }, select: { id: true } });
  return row?.id ?? 0;
}
