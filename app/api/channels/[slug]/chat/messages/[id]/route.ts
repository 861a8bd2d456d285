// DELETE /api/channels/<slug>/chat/messages/<id> -> 204: the owner, a moderator or a site admin
// removes a message for everyone (a chat-delete event).
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { parseMessageId, requireChatMutation } from '@/lib/chat/http';
import { getChatRuntime } from '@/lib/chat/runtime';
import { getDb } from '@/lib/db';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const DELETE = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string; id: string }> }) => {
  const user = await requireChatMutation(request);
  const { slug, id } = await context.params;
  const channel = await getChatChannelOrThrow(getDb(), slug);
  await getChatRuntime().service.deleteMessage(user, channel, parseMessageId(id));
  return new Response(null, { status: 204 });
});
