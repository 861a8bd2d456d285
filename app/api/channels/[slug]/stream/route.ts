// GET /api/channels/<slug>/stream — the owner's view of their stream for the dashboard's live
// panel: status, uptime, viewers, and what the media server receives. Owner only.
import { getChannelForUserOrThrow } from '@/lib/channels/get-channel-for-user';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getLiveRuntime } from '@/lib/live/runtime';
import { getStreamHealth } from '@/lib/live/stream-health';
import { withErrorResponse } from '@/lib/route-handler';
import { requireUserOrThrow } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse(async (_request: Request, context: { params: Promise<{ slug: string }> }) => {
  const user = await requireUserOrThrow();
  const { slug } = await context.params;
  const db = getDb();
  const channel = await getChannelForUserOrThrow(db, user.id);
  if (channel.slug !== slug) throw new AppError('forbidden', 'This is not your channel.');
  const env = getEnv();
  const health = await getStreamHealth({
    db,
    channel,
    viewers: getLiveRuntime().hub.viewers(channel.id),
    mediaServer: env.MEDIA_SERVER,
    mediaServerApiUrl: env.MEDIA_SERVER_API_URL,
    mediaServerApiToken: env.MEDIA_SERVER_API_TOKEN,
  });
  return Response.json(health, { headers: { 'Cache-Control': 'no-store' } });
});
