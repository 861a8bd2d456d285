// Stops whatever a channel is publishing right now, in both media-server modes (key reset, kick,
// channel or user disabled, account deleted). Each open StreamSession is ended on the media server
// (bundled: its private kick; nginx-rtmp: its control module), then closed here at once instead of
// waiting for on_publish_done, so the channel is offline when this returns. A media server that
// cannot be reached leaves the session open: the stream may still run, and the next line of
// defence (nginx-rtmp's on_update, the bundled server's live list reconciliation) ends it later.
import type { Db } from '../db';
import { moderationDepsFromEnv, type ModerationDeps } from './deps';

export interface EndLiveStreamOptions {
  /** StreamSession.endReason for the closed sessions ("kicked", "key_reset", ...). */
  reason?: string;
}

export interface EndLiveStreamResult {
  /** The channel had an open session (it was live as far as OnAir knew). */
  wasLive: boolean;
  /** The media server confirmed it ended a running publish. */
  stopped: boolean;
}

const PUBLISH_FIELDS = { id: true, app: true, streamName: true, clientId: true, publisherAddr: true } as const;

export async function endLiveStream(
  db: Db,
  channelId: string,
  { reason = 'stopped' }: EndLiveStreamOptions = {},
  deps?: ModerationDeps,
): Promise<EndLiveStreamResult> {
  const open = await db.streamSession.findMany({ where: { channelId, endedAt: null }, select: PUBLISH_FIELDS });
  if (open.length === 0) return { wasLive: false, stopped: false };
  const { stopper, clock, logger } = deps ?? moderationDepsFromEnv();
  let stopped = false;
  for (const session of open) {
    const stopAsked = new Date(clock.now());
    const outcome = await stopper.stop(session);
    if (outcome === 'failed') {
      logger.warn('live_stream_not_stopped', { channelId, sessionId: session.id, reason });
      continue;
    }
    stopped ||= outcome === 'stopped';
    const at = new Date(clock.now());
    // Same batch as on_publish_done: close the session, then the channel goes offline only if no
    // other session of it is open. The on_publish_done our stop caused may have closed it first
    // (nginx-rtmp calls it as it drops the publisher): the session still ended for our reason.
    await db.$transaction([
      db.streamSession.updateMany({
        where: { id: session.id, endedAt: null },
        data: { endedAt: at, endReason: outcome === 'stopped' ? reason.slice(0, 32) : 'reconciled' },
      }),
      ...(outcome === 'stopped'
        ? [
            db.streamSession.updateMany({
              where: { id: session.id, endReason: 'publish_done', endedAt: { gte: stopAsked } },
              data: { endReason: reason.slice(0, 32) },
            }),
          ]
        : []),
      db.channel.updateMany({
        where: { id: channelId, sessions: { none: { endedAt: null } } },
        data: { isLive: false, liveSince: null, lastLiveAt: at },
      }),
    ]);
    logger.info('live_stream_ended', { channelId, sessionId: session.id, reason, mediaServer: outcome });
  }
  return { wasLive: true, stopped };
}
