// A channel as the chat needs it: who owns it, whether it is on air, and the room's settings.
import type { Db } from '../db';
import { AppError } from '../errors';
import type { ChatMode } from '../live/types';
import { isSlug } from '../live/slug';
import { parseChatMode } from './room';

export interface ChatChannel {
  readonly id: string;
  readonly slug: string;
  /** The owner (the streamer). */
  readonly userId: string;
  readonly isLive: boolean;
  readonly mode: ChatMode;
  readonly slowModeSeconds: number;
}

const select = { id: true, slug: true, userId: true, isLive: true, disabled: true, chatMode: true, chatSlowModeSeconds: true } as const;

function toChatChannel(row: { id: string; slug: string; userId: string; isLive: boolean; disabled: boolean; chatMode: string; chatSlowModeSeconds: number }): ChatChannel {
  return {
    id: row.id,
    slug: row.slug,
    userId: row.userId,
    isLive: row.isLive && !row.disabled,
    mode: parseChatMode(row.chatMode),
    slowModeSeconds: row.chatSlowModeSeconds,
  };
}

/** The chat of a public channel; an unknown or disabled channel is a 404, as everywhere. */
export async function getChatChannelOrThrow(db: Db, slug: string): Promise<ChatChannel> {
  const row = isSlug(slug) ? await db.channel.findUnique({ where: { slug }, select }) : null;
  if (!row || row.disabled) throw new AppError('not_found', 'No such channel.');
  return toChatChannel(row);
}

export async function getChatChannelById(db: Db, id: string): Promise<ChatChannel | null> {
  const row = await db.channel.findUnique({ where: { id }, select });
  return row ? toChatChannel(row) : null;
}
