// POST /api/channels/<slug>/chat/messages {"text"} -> 201 {"message": ChatMessageView}: a signed-in
// user's chat message, delivered to every reader of the channel (their own stream included).
import { z } from 'zod';
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { readChatBody, requireChatMutation } from '@/lib/chat/http';
import { getChatRuntime } from '@/lib/chat/runtime';
import { getDb } from '@/lib/db';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

// The length rule lives in lib/chat/text.ts (it counts characters after trimming); this only bounds the input.
const Body = z.object({ text: z.string().max(4_000) });

export const POST = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const user = await requireChatMutation(request);
  const { text } = await readChatBody(request, Body);
  const channel = await getChatChannelOrThrow(getDb(), (await context.params).slug);
  const message = await getChatRuntime().service.send(user, channel, text);
  return Response.json({ message }, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});
