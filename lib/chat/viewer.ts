// What the channel page needs to know about the person looking at the chat, read while it
// renders so it can show the composer, the moderation controls or the sign-in invitation
// without another request.
import type { Db } from '../db';
import { canModerate, chatRoleOf } from './rights';
import { findChatSanction } from './store';

export interface ChatViewer {
  readonly signedIn: boolean;
  readonly canModerate: boolean;
  readonly sanction: { readonly kind: 'ban' } | { readonly kind: 'timeout'; readonly until: string } | null;
}

export async function chatViewerOf(
  db: Db,
  channel: { readonly id: string; readonly userId: string },
  session: { readonly id: string; readonly isAdmin: boolean } | null,
  now: Date = new Date(),
): Promise<ChatViewer> {
  if (!session) return { signedIn: false, canModerate: false, sanction: null };
  const moderates = canModerate(await chatRoleOf(db, channel, session));
  // The owner, moderators and admins are never held back by a sanction (they cannot be given one).
  const sanction = moderates ? null : await findChatSanction(db, channel.id, session.id, now);
  return {
    signedIn: true,
    canModerate: moderates,
    sanction: sanction === null ? null : sanction.kind === 'ban' ? { kind: 'ban' } : { kind: 'timeout', until: sanction.until.toISOString() },
  };
}
