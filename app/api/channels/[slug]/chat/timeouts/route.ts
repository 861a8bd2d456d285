// POST /api/channels/<slug>/chat/timeouts {"userId", "minutes": 1..10080} -> 204: the user cannot
// send in this channel's chat until then.
import { z } from 'zod';
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { readChatBody, requireChatMutation } from '@/lib/chat/http';
import { CHAT_TIMEOUT_MAX_MINUTES } from '@/lib/chat/limits';
import { getChatRuntime } from '@/lib/chat/runtime';
import { getDb } from '@/lib/db';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

const Body = z.object({ userId: z.string().min(1).max(64), minutes: z.number().int().min(1).max(CHAT_TIMEOUT_MAX_MINUTES) });

export const POST = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const user = await requireChatMutation(request);
  const { userId, minutes } = await readChatBody(request, Body);
  const channel = await getChatChannelOrThrow(getDb(), (await context.params).slug);
  await getChatRuntime().service.timeOut(user, channel, userId, minutes);
  return new Response(null, { status: 204 });
});
