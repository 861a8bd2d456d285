// GET /api/channels/<slug>/events — the watch page's live connection (text/event-stream):
// `status` when the channel goes live or offline, `viewers` when the count changes. Each open
// connection is one viewer of the channel, dropped when the tab goes away; at most
// VIEWERS_PER_ADDRESS connections from one client address count.
import { getChannelBySlugOrThrow } from '@/lib/channels/get-channel-by-slug';
import { clientKey } from '@/lib/client-address';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { channelEventStream } from '@/lib/live/event-stream';
import { TooManyViewersError } from '@/lib/live/presence';
import { getLiveRuntime } from '@/lib/live/runtime';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

const channelFull = (error: unknown) =>
  error instanceof TooManyViewersError ? new AppError('service_unavailable', 'This channel is full.', { retryAfterSeconds: 30 }) : error;

export const GET = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const row = await getChannelBySlugOrThrow(getDb(), (await context.params).slug);
  const { hub, presence } = getLiveRuntime();
  return channelEventStream({ row, hub, presence, signal: request.signal, address: clientKey(request.headers) });
}, channelFull);
