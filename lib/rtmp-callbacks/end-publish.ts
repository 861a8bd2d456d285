// publish_done: close the StreamSession opened by the matching publish and mark the channel
// offline. nginx-rtmp sends publish_done with the ORIGINAL name, so in form (a) the name is the
// key: the channel is found by the key's hash. The session is then matched by the media server's
// connection id and the publisher address, so a late done from an old connection never ends a
// newer stream. If the key was reset meanwhile, the connection id + address + app still match.
import type { Clock } from '../clock';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { hashStreamKey, isWellFormedStreamKey } from '../stream-keys';
import { logContext } from './authorize-publish';
import type { PublishCallback } from './types';

export interface EndPublishDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface EndPublishResult {
  sessionId: string | null;
  slug: string | null;
  /** The channel whose session was closed (its RTMP players ended with the publish). */
  channelId?: string;
}

async function channelIdFor(db: Db, callback: PublishCallback): Promise<string | null> {
  const argKey = callback.args.key;
  const key = argKey ?? callback.name;
  if (isWellFormedStreamKey(key)) {
    const byKey = await db.channel.findUnique({ where: { streamKeyHash: hashStreamKey(key) }, select: { id: true } });
    if (byKey) return byKey.id;
  }
  if (argKey !== undefined || !isWellFormedStreamKey(callback.name)) {
    const bySlug = await db.channel.findUnique({ where: { slug: callback.name }, select: { id: true } });
    if (bySlug) return bySlug.id;
  }
  return null;
}

export async function endPublish(deps: EndPublishDeps, callback: PublishCallback): Promise<EndPublishResult> {
  const { db } = deps;
  const channelId = await channelIdFor(db, callback);
  const connection = { clientId: callback.clientId.slice(0, 128), publisherAddr: callback.addr.slice(0, 128), app: callback.app.slice(0, 128) };
  const session = await db.streamSession.findFirst({
    where: channelId === null ? { endedAt: null, ...connection } : { endedAt: null, channelId, ...connection },
    orderBy: { startedAt: 'desc' },
    select: { id: true, channelId: true, channel: { select: { slug: true } } },
  });
  if (!session) {
    // lib/moderation closes the session itself when it ends a stream; the media server's
    // publish_done for it comes after and is expected.
    const closedByOnAir = await db.streamSession.findFirst({
      where: channelId === null ? { endedAt: { not: null }, ...connection } : { channelId, endedAt: { not: null }, ...connection },
      select: { id: true },
    });
    const fields = { channelKnown: channelId !== null, ...logContext(callback) };
    if (closedByOnAir) deps.logger.info('publish_done_after_stop', fields);
    else deps.logger.warn('publish_done_unmatched', fields);
    return { sessionId: null, slug: null };
  }
  const now = new Date(deps.clock.now());
  // One batch transaction: close the session, then set the channel offline only if no other
  // session of it is still open (a conditional UPDATE, no read-then-write race).
  await db.$transaction([
    db.streamSession.updateMany({ where: { id: session.id, endedAt: null }, data: { endedAt: now, endReason: 'publish_done' } }),
    db.channel.updateMany({
      where: { id: session.channelId, sessions: { none: { endedAt: null } } },
      data: { isLive: false, liveSince: null, lastLiveAt: now },
    }),
  ]);
  deps.logger.info('publish_done', { slug: session.channel.slug, sessionId: session.id, ...logContext(callback) });
  return { sessionId: session.id, slug: session.channel.slug, channelId: session.channelId };
}
