// The owner's chat settings (dashboard): the room's mode and slow mode, the moderators they
// appoint by username, and the bans and time-outs they can lift. Ownership is the `ownerId` in
// every query.
import type { Db } from '../db';
import { AppError } from '../errors';
import type { ChatSettingsInput } from '../validations/chat';
import type { ChatChannel } from './channel';
import { getChatChannelById } from './channel';
import { CHAT_MODERATORS_MAX } from './limits';
import { addChatModerator, listChatModerators, listChatSanctions, removeChatModerator, unbanChatUser, type ChatSanctionView } from './store';

async function ownChannelId(db: Db, ownerId: string): Promise<string> {
  const channel = await db.channel.findUnique({ where: { userId: ownerId }, select: { id: true } });
  if (!channel) throw new AppError('not_found', 'You have no channel.');
  return channel.id;
}

export async function updateChatSettings(db: Db, ownerId: string, input: ChatSettingsInput): Promise<ChatChannel> {
  const id = await ownChannelId(db, ownerId);
  await db.channel.update({ where: { id }, data: { chatMode: input.mode, chatSlowModeSeconds: input.slowModeSeconds } });
  const channel = await getChatChannelById(db, id);
  if (!channel) throw new AppError('not_found', 'You have no channel.');
  return channel;
}

export async function chatModeratorsOf(db: Db, ownerId: string): Promise<{ userId: string; username: string }[]> {
  return listChatModerators(db, await ownChannelId(db, ownerId));
}

/** Appoints a moderator; returns the stored username. */
export async function addChatModeratorByUsername(db: Db, ownerId: string, username: string): Promise<string> {
  const channelId = await ownChannelId(db, ownerId);
  const user = await db.user.findUnique({ where: { username }, select: { id: true, username: true } });
  if (!user) throw new AppError('not_found', 'No user has that name.');
  if (user.id === ownerId) throw new AppError('unprocessable_entity', 'You moderate your own chat already.');
  const count = await db.chatModerator.count({ where: { channelId } });
  if (count >= CHAT_MODERATORS_MAX) throw new AppError('unprocessable_entity', `A channel has at most ${CHAT_MODERATORS_MAX} moderators.`);
  await addChatModerator(db, channelId, user.id);
  return user.username;
}

export async function removeChatModeratorByUsername(db: Db, ownerId: string, username: string): Promise<void> {
  const channelId = await ownChannelId(db, ownerId);
  const user = await db.user.findUnique({ where: { username }, select: { id: true } });
  if (user) await removeChatModerator(db, channelId, user.id);
}

export async function chatSanctionsOf(db: Db, ownerId: string, now: Date): Promise<ChatSanctionView[]> {
  return listChatSanctions(db, await ownChannelId(db, ownerId), now);
}

/** Lifts the user's ban or time-out in the owner's chat; an unknown name or nothing to lift is fine. */
export async function liftChatSanctionByUsername(db: Db, ownerId: string, username: string): Promise<void> {
  const channelId = await ownChannelId(db, ownerId);
  const user = await db.user.findUnique({ where: { username }, select: { id: true } });
  if (user) await unbanChatUser(db, channelId, user.id);
}
