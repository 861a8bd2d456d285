// GET /api/channels/<slug>/events — the watch page's live connection (text/event-stream):
// `status` when the channel goes live or offline, `viewers` when the count changes. Each open
// connection is one viewer of the channel, dropped when the tab goes away; at most
// VIEWERS_PER_ADDRESS connections from one client address count.
import { clientKey } from '@/lib/client-address';
import { getDb } from '@/lib/db';
import { AppError, toResponse } from '@/lib/errors';
import { channelEventStream } from '@/lib/live/event-stream';
import { findChannelRowBySlug } from '@/lib/live/live-data';
import { TooManyViewersError } from '@/lib/live/presence';
import { getLiveRuntime } from '@/lib/live/runtime';
import { isSlug } from '@/lib/live/slug';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const { slug } = await context.params;
    if (!isSlug(slug)) throw new AppError('not_found', 'No such channel.');
    const row = await findChannelRowBySlug(getDb(), slug);
    if (!row) throw new AppError('not_found', 'No such channel.');
    const { hub, presence } = getLiveRuntime();
    return channelEventStream({ row, hub, presence, signal: request.signal, address: clientKey(request.headers) });
  } catch (error) {
    if (error instanceof TooManyViewersError) return toResponse(new AppError('service_unavailable', 'This channel is full.', { retryAfterSeconds: 30 }));
    return toResponse(error);
  }
}
