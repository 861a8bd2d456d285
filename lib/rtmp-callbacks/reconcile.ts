// Channels must not stay "live" forever after a lost publish_done or a restart. Sessions whose
// stream the media server no longer lists are closed (bundled server). Without a list (nginx-rtmp)
// sessions not heard of (on_publish, on_update) within `heartbeatTimeoutMs` are closed, or, when no
// heartbeat is expected, sessions older than `maxSessionAgeMs`.
import type { Clock } from '../clock';
import type { Db } from '../db';
import type { Logger } from '../logger';

export interface ReconcileOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** `app/name` pairs currently published, or null when the media server cannot list them. */
  liveStreams: ReadonlyArray<{ app: string; name: string }> | null;
  /** Without a list and without a heartbeat, sessions older than this are closed. Default 24 h. */
  maxSessionAgeMs?: number;
  /**
   * Without a list: sessions whose last sign of life (StreamSession.lastSeenAt, else startedAt) is
   * older than this are closed ("heartbeat_lost"). nginx-rtmp's on_update refreshes it.
   */
  heartbeatTimeoutMs?: number;
  /** Sessions younger than this are left alone: the media server may not list them yet. Default 15 s. */
  graceMs?: number;
}

export interface ReconcileResult {
  closedSessions: number;
  channelsSetOffline: number;
}

export async function reconcileLiveChannels(options: ReconcileOptions): Promise<ReconcileResult> {
  const { db, logger, liveStreams, maxSessionAgeMs = 24 * 3600_000, heartbeatTimeoutMs, graceMs = 15_000 } = options;
  const now = new Date(options.clock.now());
  const live = liveStreams === null ? null : new Set(liveStreams.map((s) => `${s.app}/${s.name}`));
  const open = await db.streamSession.findMany({ where: { endedAt: null }, include: { channel: { select: { slug: true } } } });
  const stale = open.filter((session) => {
    const age = now.getTime() - session.startedAt.getTime();
    if (age < graceMs) return false;
    if (live === null && heartbeatTimeoutMs !== undefined) {
      return now.getTime() - (session.lastSeenAt ?? session.startedAt).getTime() > heartbeatTimeoutMs;
    }
    if (live === null) return age > maxSessionAgeMs;
    return !live.has(`${session.app}/${session.streamName}`) && !live.has(`${session.app}/${session.channel.slug}`);
  });
  if (stale.length > 0) {
    await db.streamSession.updateMany({
      where: { id: { in: stale.map((s) => s.id) }, endedAt: null },
      data: { endedAt: now, endReason: live === null && heartbeatTimeoutMs !== undefined ? 'heartbeat_lost' : 'reconciled' },
    });
  }
  // Channels marked live without any open session (stale sessions just closed, or older drift).
  const orphaned = await db.channel.updateMany({
    where: { isLive: true, sessions: { none: { endedAt: null } } },
    data: { isLive: false, liveSince: null, lastLiveAt: now },
  });
  if (stale.length > 0 || orphaned.count > 0) {
    logger.warn('reconciled', {
      closedSessions: stale.length,
      channelsSetOffline: orphaned.count,
      slugs: stale.map((s) => s.channel.slug),
      // Every nginx-rtmp session timing out means on_update is not configured (media-server/nginx/README.md).
      ...(heartbeatTimeoutMs !== undefined && stale.length > 0 ? { hint: 'not heard of: does the nginx-rtmp app have on_update?' } : {}),
    });
  }
  return { closedSessions: stale.length, channelsSetOffline: orphaned.count };
}
