// GET /api/channels/<slug>/chat/events — the pop-out chat's stream (/<slug>/chat, OBS docks): the
// chat events of /api/channels/<slug>/events plus `status`, and NOT a viewer of the channel. At
// most VIEWERS_PER_ADDRESS of these per client address and channel, each also one of the address's
// EVENT_STREAMS_PER_ADDRESS streams; 503 beyond.
import { getChannelBySlugOrThrow } from '@/lib/channels/get-channel-by-slug';
import { getChatChannelOrThrow } from '@/lib/chat/channel';
import { chatReader } from '@/lib/chat/reader';
import { parseLastEventId } from '@/lib/chat/resume';
import { getChatRuntime } from '@/lib/chat/runtime';
import { clientKey } from '@/lib/client-address';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { chatOnlyEventStream } from '@/lib/live/event-stream';
import { getLiveRuntime } from '@/lib/live/runtime';
import { holdingSlot, takeStreamSlot } from '@/lib/live/stream-slots';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse(async (request: Request, context: { params: Promise<{ slug: string }> }) => {
  const db = getDb();
  const slug = (await context.params).slug;
  const row = await getChannelBySlugOrThrow(db, slug);
  const chatChannel = await getChatChannelOrThrow(db, slug);
  const { bus, popoutSlots } = getChatRuntime();
  const { hub, streamSlots } = getLiveRuntime();
  const address = clientKey(request.headers);
  const chat = chatReader({ db, bus, channel: chatChannel, lastEventId: parseLastEventId(request.headers.get('last-event-id')) });
  const releaseWindow = popoutSlots.take(row.id, address);
  if (!releaseWindow) throw new AppError('service_unavailable', 'Too many chat windows open from your address.', { retryAfterSeconds: 30 });
  const releaseStream = holdingSlot(releaseWindow, () => takeStreamSlot(streamSlots, address));
  const release = () => {
    releaseStream();
    releaseWindow();
  };
  return holdingSlot(release, (onEnd) => chatOnlyEventStream({ row, hub, signal: request.signal, chat, onEnd }));
});
