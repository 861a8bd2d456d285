// POST /api/channels/<slug>/chat/bans {"userId", "purge"} -> 204: bans the user from this channel's
// chat; `purge` also deletes all their messages in it for everyone.
import { z } from 'zod';
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { readChatBody, requireChatMutation } from '@/lib/chat/http';
import { getChatRuntime } from '@/lib/chat/runtime';
import { getDb } from '@/lib/db';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

const Body = z.object({ userId: z.string().min(1).max(64), purge: z.boolean() });

export const POST = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const user = await requireChatMutation(request);
  const { userId, purge } = await readChatBody(request, Body);
  const channel = await getChatChannelOrThrow(getDb(), (await context.params).slug);
  await getChatRuntime().service.ban(user, channel, userId, purge);
  return new Response(null, { status: 204 });
});
