// Who someone is in a channel's chat: the owner (streamer), a moderator they appointed, a site
// admin (everywhere), or a plain user. Moderation rights and badges both follow from it.
import type { Db } from '../db';
import type { ChatBadge } from '../live/types';
import { isChatModerator } from './store';

export interface ChatRole {
  readonly owner: boolean;
  readonly moderator: boolean;
  readonly admin: boolean;
}

export async function chatRoleOf(db: Db, channel: { id: string; userId: string }, user: { id: string; isAdmin: boolean }): Promise<ChatRole> {
  const owner = channel.userId === user.id;
  return { owner, moderator: !owner && (await isChatModerator(db, channel.id, user.id)), admin: user.isAdmin };
}

/** May delete messages, time out and ban in this channel. */
export function canModerate(role: ChatRole): boolean {
  return role.owner || role.moderator || role.admin;
}

export function badgesOf(role: ChatRole): ChatBadge[] {
  const badges: ChatBadge[] = [];
  if (role.owner) badges.push('streamer');
  if (role.moderator) badges.push('moderator');
  if (role.admin) badges.push('admin');
  return badges;
}
