// Who is reading a channel's chat, for its page and its pop-out: decided on the server so the
// composer, the moderation buttons and the sign-in invitation render without another request.
import type { ChatViewer } from '@/app/_components/chat/chat-panel';
import { chatViewerOf } from '@/lib/chat/viewer';
import { getDb } from '@/lib/db';
import { getCurrentUser } from '@/lib/session';

export async function chatViewerFor(channelId: string): Promise<ChatViewer> {
  const db = getDb();
  const [user, owner] = await Promise.all([getCurrentUser(), db.channel.findUnique({ where: { id: channelId }, select: { userId: true } })]);
  const viewer = await chatViewerOf(db, { id: channelId, userId: owner?.userId ?? '' }, user);
  return { ...viewer, userId: user?.id ?? null };
}
