// What the live parts of the web app say to browsers: the payloads of the server-sent events and
// of the directory. Shared by server code and client components, so nothing here imports Node.

/** Whether a channel is on air, as stored on Channel (dates as ISO strings on the wire). */
export interface ChannelStatus {
  readonly isLive: boolean;
  readonly liveSince: string | null;
  readonly lastLiveAt: string | null;
  readonly title: string;
  readonly description: string;
  readonly category: string | null;
}

/** One channel as the directory shows it. */
export interface ChannelSummary {
  readonly slug: string;
  readonly title: string;
  readonly category: string | null;
  /** Display name, or the username when the streamer has none. */
  readonly streamer: string;
  readonly isLive: boolean;
  readonly liveSince: string | null;
  readonly lastLiveAt: string | null;
  readonly viewers: number;
}

export interface DirectorySnapshot {
  /** Channels on air now, newest first. */
  readonly live: readonly ChannelSummary[];
  /** Channels that were on air before and are not now, most recent first. */
  readonly recent: readonly ChannelSummary[];
}

export type ChatBadge = 'streamer' | 'moderator' | 'admin';
export interface ChatMessageView {
  readonly id: string;        // decimal string of an increasing integer; also the SSE `id:` of its chat-message event
  readonly userId: string;
  readonly name: string;      // display name, or the username when none
  readonly username: string;
  readonly badges: readonly ChatBadge[];
  readonly text: string;      // plain text as accepted (trimmed); clients render it as TEXT, never HTML
  readonly at: string;        // ISO time the server accepted it
}
export type ChatMode = 'always' | 'live' | 'off';
export interface ChatRoomState {
  readonly mode: ChatMode;
  readonly open: boolean;            // may a signed-in user in good standing send right now (mode + live status)
  readonly slowModeSeconds: number;  // 0 = off
  readonly maxLength: number;        // characters
}

/** Server-sent event names and their payloads, one place for both ends. */
export interface LiveEventMap {
  status: ChannelStatus;
  viewers: { readonly viewers: number };
  directory: DirectorySnapshot;
  'chat-history': { readonly messages: readonly ChatMessageView[]; readonly room: ChatRoomState }; // oldest first, <= 50; REPLACES the client's log
  'chat-message': ChatMessageView;
  'chat-delete':  { readonly ids: readonly string[] };  // removed for everyone (delete, or purge of a banned user)
  'chat-room':    ChatRoomState;                        // settings or live status changed
}

export type LiveEventName = keyof LiveEventMap;
