// The channel page's list of past broadcasts, for whoever is looking (lib/recordings/access.ts).
import { getDb } from '@/lib/db';
import { listChannelBroadcasts } from '@/lib/recordings/access';
import { getCurrentUser } from '@/lib/session';

/** `?page=N` is 1-based in the URL; anything else is the first page. */
export async function pastBroadcastsOf(channelId: string, pageParam: string | string[] | undefined) {
  const raw = Array.isArray(pageParam) ? pageParam[0] : pageParam;
  const page = raw !== undefined && /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) - 1 : 0;
  const owner = await getDb().channel.findUnique({ where: { id: channelId }, select: { userId: true } });
  const { items, hasMore } = await listChannelBroadcasts(getDb(), { id: channelId, ownerId: owner?.userId ?? '' }, await getCurrentUser(), page);
  return { items, hasMore, page };
}
