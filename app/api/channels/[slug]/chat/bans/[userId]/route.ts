// DELETE /api/channels/<slug>/chat/bans/<userId> -> 204: lifts the user's ban (or time-out).
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { requireChatMutation } from '@/lib/chat/http';
import { getChatRuntime } from '@/lib/chat/runtime';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const DELETE = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string; userId: string }> }) => {
  const user = await requireChatMutation(request);
  const { slug, userId } = await context.params;
  if (userId.length === 0 || userId.length > 64) throw new AppError('not_found', 'No such user.');
  const channel = await getChatChannelOrThrow(getDb(), slug);
  await getChatRuntime().service.unban(user, channel, userId);
  return new Response(null, { status: 204 });
});
