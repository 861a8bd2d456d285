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

/** Server-sent event names and their payloads, one place for both ends. */
export interface LiveEventMap {
  status: ChannelStatus;
  viewers: { readonly viewers: number };
  directory: DirectorySnapshot;
}

export type LiveEventName = keyof LiveEventMap;
