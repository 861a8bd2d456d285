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

/** One chat message as every reader sees it (never the author's e-mail or session). */
export interface ChatMessageView {
  /** Decimal string of an increasing integer; also the SSE `id:` of its chat-message event. */
  readonly id: string;
  readonly userId: string;
  /** Display name, or the username when none. */
  readonly name: string;
  readonly username: string;
  readonly badges: readonly ChatBadge[];
  /** Plain text as accepted (trimmed); clients render it as TEXT, never HTML. */
  readonly text: string;
  /** ISO time the server accepted it. */
  readonly at: string;
}

export type ChatMode = 'always' | 'live' | 'off';

export interface ChatRoomState {
  readonly mode: ChatMode;
  /** May a signed-in user in good standing send right now (mode + live status). */
  readonly open: boolean;
  /** 0 = off. */
  readonly slowModeSeconds: number;
  /** Characters. */
  readonly maxLength: number;
}

/** Server-sent event names and their payloads, one place for both ends. */
export interface LiveEventMap {
  status: ChannelStatus;
  viewers: { readonly viewers: number };
  directory: DirectorySnapshot;
  /** Oldest first, at most 50; REPLACES the client's log. */
  'chat-history': { readonly messages: readonly ChatMessageView[]; readonly room: ChatRoomState };
  /** Carries an SSE `id:` (its message id). */
  'chat-message': ChatMessageView;
  /** Messages removed for everyone (a deletion, or the purge of a banned user); carries an SSE `id:`. */
  'chat-delete': { readonly ids: readonly string[] };
  /** The room's settings or the channel's live status changed. */
  'chat-room': ChatRoomState;
}

/** The chat events that carry an SSE `id:` from the site's one chat sequence. */
export type ChatSequencedEventName = 'chat-message' | 'chat-delete';

export type LiveEventName = keyof LiveEventMap;
