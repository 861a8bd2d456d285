// The chat's fixed limits, in one place (README "Chat" lists them).

/** Messages a reader gets on join (`chat-history`). */
export const CHAT_HISTORY_SIZE = 50;
/** Longest message, in characters (Unicode code points). */
export const CHAT_MAX_LENGTH = 500;
/** A reader that missed more sequenced events than this gets `chat-history` instead of a replay. */
export const CHAT_RESUME_MAX = 200;
/** Per user, across channels: this many messages per window (the owner and moderators too); CHAT_RATE_LIMIT overrides it. */
export const CHAT_RATE_LIMIT = 8;
export const CHAT_RATE_WINDOW_MS = 10_000;
/** Slow mode the owner may set, in seconds (0 = off). */
export const CHAT_SLOW_MODE_MAX_SECONDS = 300;
/** A user's message equal to one of their messages of the last this-many ms is refused. */
export const CHAT_DUPLICATE_WINDOW_MS = 30_000;
/** How many recent messages per user the duplicate check remembers. */
export const CHAT_DUPLICATE_MEMORY = 3;
/** Longest time-out, in minutes (one week). */
export const CHAT_TIMEOUT_MAX_MINUTES = 10_080;
/** Largest JSON body the chat routes read. */
export const CHAT_BODY_MAX_BYTES = 8 * 1024;
/** Moderators one channel may appoint. */
export const CHAT_MODERATORS_MAX = 100;
