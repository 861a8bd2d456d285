// GET /api/channels/<slug>/events — the watch page's live connection (text/event-stream):
// `status` when the channel goes live or offline, `viewers` when the count changes, and the chat
// (`chat-history` or the replay after Last-Event-ID, then `chat-message`, `chat-delete`,
// `chat-room`). Each open connection is one viewer of the channel, dropped when the tab goes away;
// at most VIEWERS_PER_ADDRESS connections from one client address count, and one address holds at
// most EVENT_STREAMS_PER_ADDRESS event streams open (503 beyond). `?chat=0` leaves the chat out
// (the embedded player shows none).
import { getChannelBySlugOrThrow } from '@/lib/channels/get-channel-by-slug';
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { chatReader } from '@/lib/chat/reader';
import { parseLastEventId } from '@/lib/chat/resume';
import { getChatRuntime } from '@/lib/chat/runtime';
import { clientKey } from '@/lib/client-address';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { channelEventStream } from '@/lib/live/event-stream';
import { TooManyViewersError } from '@/lib/live/presence';
import { getLiveRuntime } from '@/lib/live/runtime';
import { holdingSlot, takeStreamSlot } from '@/lib/live/stream-slots';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

const channelFull = (error: unknown) =>
  error instanceof TooManyViewersError ? new AppError('service_unavailable', 'This channel is full.', { retryAfterSeconds: 30 }) : error;

export const GET = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const db = getDb();
  const slug = (await context.params).slug;
  const row = await getChannelBySlugOrThrow(db, slug);
  const { hub, presence, streamSlots } = getLiveRuntime();
  const withChat = new URL(request.url).searchParams.get('chat') !== '0';
  const chat = withChat
    ? chatReader({ db, bus: getChatRuntime().bus, channel: await getChatChannelOrThrow(db, slug), lastEventId: parseLastEventId(request.headers.get('last-event-id')) })
    : undefined;
  const address = clientKey(request.headers);
  const release = takeStreamSlot(streamSlots, address);
  return holdingSlot(release, (onEnd) => channelEventStream({ row, hub, presence, signal: request.signal, address, chat, onEnd }));
}, channelFull);
