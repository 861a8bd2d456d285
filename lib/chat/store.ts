// The chat's storage, with Prisma (SQLite and PostgreSQL alike): the event sequence, moderators
// and sanctions. Every function takes the Db, so tests run it on both providers.
import type { Db } from '../db';
import type { ChatBadge, ChatMessageView } from '../live/types';

/** A stored chat event as readers get it: a message, or the removal of messages. */
export type StoredChatEvent =
  | { readonly kind: 'message'; readonly id: number; readonly message: ChatMessageView }
  | { readonly kind: 'delete'; readonly id: number; readonly ids: readonly string[] };

const BADGES: readonly ChatBadge[] = ['streamer', 'moderator', 'admin'];
/** Ids per deletion event: a purge of thousands of messages becomes several bounded events. */
export const DELETE_IDS_PER_EVENT = 500;

const eventSelect = {
  id: true,
  kind: true,
  userId: true,
  text: true,
  badges: true,
  deletedIds: true,
  deletedAt: true,
  createdAt: true,
  user: { select: { username: true, displayName: true } },
} as const;

interface EventRow {
  id: number;
  kind: string;
  userId: string | null;
  text: string;
  badges: string;
  deletedIds: string;
  deletedAt: Date | null;
  createdAt: Date;
  user: { username: string; displayName: string | null } | null;
}

function toMessageView(row: EventRow): ChatMessageView {
  const username = row.user?.username ?? '';
  return {
    id: String(row.id),
    userId: row.userId ?? '',
    name: row.user?.displayName?.trim() || username,
    username,
    badges: BADGES.filter((badge) => row.badges.split(' ').includes(badge)),
    text: row.text,
    at: row.createdAt.toISOString(),
  };
}

function toStoredEvent(row: EventRow): StoredChatEvent | null {
  if (row.kind === 'delete') return { kind: 'delete', id: row.id, ids: row.deletedIds.split(' ').filter((id) => id !== '') };
  // A deleted message is replayed as nothing: its deletion event (later in the sequence) follows.
  if (row.kind !== 'message' || row.deletedAt !== null || row.user === null) return null;
  return { kind: 'message', id: row.id, message: toMessageView(row) };
}

export async function insertChatMessage(
  db: Db,
  input: { channelId: string; userId: string; text: string; badges: readonly ChatBadge[] },
): Promise<ChatMessageView> {
  const row = await db.chatEvent.create({
    data: { channelId: input.channelId, kind: 'message', userId: input.userId, text: input.text, badges: input.badges.join(' ') },
    select: eventSelect,
  });
  return toMessageView(row);
}

/**
 * Marks the channel's messages with these ids deleted (emptying their text) and appends the
 * deletion events. Returns one event per batch of ids actually deleted now (none when all were
 * already gone).
 */
export async function deleteChatMessages(db: Db, channelId: string, ids: readonly number[]): Promise<{ id: number; ids: string[] }[]> {
  const events: { id: number; ids: string[] }[] = [];
  for (let start = 0; start < ids.length; start += DELETE_IDS_PER_EVENT) {
    const batch = ids.slice(start, start + DELETE_IDS_PER_EVENT);
    const event = await db.$transaction(async (tx) => {
      const live = await tx.chatEvent.findMany({
        where: { channelId, kind: 'message', deletedAt: null, id: { in: batch } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      if (live.length === 0) return null;
      const found = live.map((row) => row.id);
      await tx.chatEvent.updateMany({ where: { id: { in: found } }, data: { deletedAt: new Date(), text: '' } });
      const deletedIds = found.map(String);
      const row = await tx.chatEvent.create({ data: { channelId, kind: 'delete', deletedIds: deletedIds.join(' ') }, select: { id: true } });
      return { id: row.id, ids: deletedIds };
    });
    if (event) events.push(event);
  }
  return events;
}

/** Ids of a user's messages in the channel that are not deleted (a ban's purge). */
export async function chatMessageIdsOf(db: Db, channelId: string, userId: string): Promise<number[]> {
  const rows = await db.chatEvent.findMany({
    where: { channelId, userId, kind: 'message', deletedAt: null },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => row.id);
}

/** The last `limit` messages still shown (ids up to `upToId` when given), oldest first. */
export async function chatHistory(db: Db, channelId: string, limit: number, upToId?: number): Promise<ChatMessageView[]> {
  const rows = await db.chatEvent.findMany({
    where: { channelId, kind: 'message', deletedAt: null, ...(upToId === undefined ? {} : { id: { lte: upToId } }) },
    orderBy: { id: 'desc' },
    take: limit,
    select: eventSelect,
  });
  return rows.reverse().map(toMessageView);
}

/**
 * The channel's events after `afterId`, oldest first, at most `limit` rows read (deleted messages
 * count towards it and are left out). Returns the events and the highest id read.
 */
export async function chatEventsAfter(
  db: Db,
  channelId: string,
  afterId: number,
  limit: number,
): Promise<{ events: StoredChatEvent[]; rows: number }> {
  const rows = await db.chatEvent.findMany({
    where: { channelId, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
    select: eventSelect,
  });
  const events: StoredChatEvent[] = [];
  for (const row of rows) {
    const event = toStoredEvent(row);
    if (event) events.push(event);
  }
  return { events, rows: rows.length };
}

/** The message's author, when it is a message of this channel that is still shown. */
export async function findChatMessage(db: Db, channelId: string, id: number): Promise<{ userId: string } | null> {
  const row = await db.chatEvent.findFirst({ where: { id, channelId, kind: 'message', deletedAt: null }, select: { userId: true } });
  return row?.userId ? { userId: row.userId } : null;
}

// --- sanctions ----------------------------------------------------------------------------------

export type ChatSanctionState = { readonly kind: 'ban' } | { readonly kind: 'timeout'; readonly until: Date } | null;

/** The user's sanction in force at `now` (an expired time-out is none). */
export async function findChatSanction(db: Db, channelId: string, userId: string, now: Date): Promise<ChatSanctionState> {
  const row = await db.chatSanction.findUnique({ where: { channelId_userId: { channelId, userId } }, select: { kind: true, until: true } });
  if (!row) return null;
  if (row.kind === 'ban') return { kind: 'ban' };
  if (row.kind === 'timeout' && row.until && row.until > now) return { kind: 'timeout', until: row.until };
  return null;
}

/** Times a user out until `until`; a ban in force stays a ban. */
export async function timeOutChatUser(db: Db, channelId: string, userId: string, until: Date): Promise<void> {
  const existing = await db.chatSanction.findUnique({ where: { channelId_userId: { channelId, userId } }, select: { kind: true } });
  if (existing?.kind === 'ban') return;
  await db.chatSanction.upsert({
    where: { channelId_userId: { channelId, userId } },
    create: { channelId, userId, kind: 'timeout', until },
    update: { kind: 'timeout', until },
  });
}

export async function banChatUser(db: Db, channelId: string, userId: string): Promise<void> {
  await db.chatSanction.upsert({
    where: { channelId_userId: { channelId, userId } },
    create: { channelId, userId, kind: 'ban', until: null },
    update: { kind: 'ban', until: null },
  });
}

/** A ban or time-out in force, for the owner's list (dashboard). */
export interface ChatSanctionView {
  readonly userId: string;
  readonly username: string;
  /** null: banned; else timed out until then. */
  readonly until: Date | null;
}

/** Bans and time-outs still in force at `now` in a channel, newest first, at most `limit`. */
export async function listChatSanctions(db: Db, channelId: string, now: Date, limit = 200): Promise<ChatSanctionView[]> {
  const rows = await db.chatSanction.findMany({
    where: { channelId, OR: [{ until: null }, { until: { gt: now } }] },
    orderBy: [{ createdAt: 'desc' }, { userId: 'asc' }],
    take: limit,
    select: { userId: true, until: true, user: { select: { username: true } } },
  });
  return rows.map((row) => ({ userId: row.userId, username: row.user.username, until: row.until }));
}

/** Lifts a ban or time-out; nothing to lift is fine. */
export async function unbanChatUser(db: Db, channelId: string, userId: string): Promise<void> {
  await db.chatSanction.deleteMany({ where: { channelId, userId } });
}

// --- moderators ---------------------------------------------------------------------------------

export async function isChatModerator(db: Db, channelId: string, userId: string): Promise<boolean> {
  const row = await db.chatModerator.findUnique({ where: { channelId_userId: { channelId, userId } }, select: { userId: true } });
  return row !== null;
}

export async function listChatModerators(db: Db, channelId: string): Promise<{ userId: string; username: string }[]> {
  const rows = await db.chatModerator.findMany({
    where: { channelId },
    orderBy: { createdAt: 'asc' },
    select: { userId: true, user: { select: { username: true } } },
  });
  return rows.map((row) => ({ userId: row.userId, username: row.user.username }));
}

export async function addChatModerator(db: Db, channelId: string, userId: string): Promise<void> {
  await db.chatModerator.upsert({
    where: { channelId_userId: { channelId, userId } },
    create: { channelId, userId },
    update: {},
  });
}

export async function removeChatModerator(db: Db, channelId: string, userId: string): Promise<void> {
  await db.chatModerator.deleteMany({ where: { channelId, userId } });
}
