// The hub's storage, with Prisma: the one poll query, the recently-live list and the peak write.
// channelSelect/toChannelRow are also the row of lib/channels/get-channel-by-slug.ts.
import type { Db } from '../db';
import type { ChannelRow, LiveDataSource } from './live-hub';

export const channelSelect = {
  id: true,
  slug: true,
  title: true,
  description: true,
  category: true,
  disabled: true,
  isLive: true,
  liveSince: true,
  lastLiveAt: true,
  user: { select: { username: true, displayName: true } },
} as const;

interface SelectedChannel {
  id: string;
  slug: string;
  title: string;
  description: string;
  category: string | null;
  disabled: boolean;
  isLive: boolean;
  liveSince: Date | null;
  lastLiveAt: Date | null;
  user: { username: string; displayName: string | null };
}

export function toChannelRow(channel: SelectedChannel): ChannelRow {
  return {
    id: channel.id,
    slug: channel.slug,
    title: channel.title,
    description: channel.description,
    category: channel.category,
    streamer: channel.user.displayName?.trim() || channel.user.username,
    // A disabled channel is never shown as live, whatever the media server last said.
    isLive: channel.isLive && !channel.disabled,
    liveSince: channel.isLive && !channel.disabled ? channel.liveSince : null,
    lastLiveAt: channel.lastLiveAt,
  };
}

export function prismaLiveData(db: Db): LiveDataSource {
  return {
    async channels(ids) {
      const rows = await db.channel.findMany({
        where: { OR: [{ isLive: true, disabled: false }, { id: { in: [...ids] } }] },
        select: channelSelect,
      });
      return rows.map(toChannelRow);
    },
    async recentlyLive(limit) {
      const rows = await db.channel.findMany({
        where: { isLive: false, disabled: false, lastLiveAt: { not: null } },
        orderBy: { lastLiveAt: 'desc' },
        take: limit,
        select: channelSelect,
      });
      return rows.map(toChannelRow);
    },
    async recordPeak(channelId, viewers) {
      // Conditional, so two processes (or a late write) can only ever raise the stored peak.
      await db.streamSession.updateMany({
        where: { channelId, endedAt: null, peakViewers: { lt: viewers } },
        data: { peakViewers: viewers },
      });
    },
  };
}
