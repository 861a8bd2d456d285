// on_update: nginx-rtmp asks every `notify_update_timeout` whether a running publish may go on,
// and drops the publisher on any non-2xx answer. It is the heartbeat that keeps StreamSession.
// lastSeenAt fresh (the reconciler ends sessions not heard of for a minute, so a lost
// on_publish_done cannot keep a channel live), and the second line of defence behind kicks, key
// resets and disables: a publish whose session OnAir ended, whose channel or owner is disabled or
// blocked, or whose key is no longer the channel's key is refused here at the next update.
import type { Clock } from '../clock';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { hashStreamKey, isWellFormedStreamKey } from '../stream-keys';
import { logContext, standingRefusal } from './authorize-publish';
import type { PublishCallback } from './types';

export interface HeartbeatDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export type HeartbeatRefusal = 'no_session' | 'key_changed' | 'channel_disabled' | 'owner_disabled' | 'publish_blocked';

/** Same shape as PublishDecision's refusal: a readable `reason` and a `code`. */
export type HeartbeatDecision = { alive: true; sessionId: string } | { alive: false; reason: string; code: HeartbeatRefusal };

const REASONS: Record<HeartbeatRefusal, string> = {
  no_session: 'this publish has been ended',
  key_changed: 'the stream key was reset',
  channel_disabled: 'channel is disabled',
  owner_disabled: 'account is disabled',
  publish_blocked: 'channel was stopped by an admin',
};

const SESSION_FIELDS = {
  id: true,
  channel: { select: { slug: true, streamKeyHash: true, disabled: true, publishBlockedUntil: true, user: { select: { disabledAt: true } } } },
} as const;

export async function heartbeat(deps: HeartbeatDeps, callback: PublishCallback): Promise<HeartbeatDecision> {
  const { db } = deps;
  const now = new Date(deps.clock.now());
  const refuse = (code: HeartbeatRefusal, slug: string | null): HeartbeatDecision => {
    deps.logger.warn('update_refused', { reason: code, slug, ...logContext(callback) });
    return { alive: false, reason: REASONS[code], code };
  };
  // The connection on_publish recorded; normally one open session. Several media servers may
  // report the same clientid, so the channel must match what this publish presented too.
  const connection = { clientId: callback.clientId.slice(0, 128), publisherAddr: callback.addr.slice(0, 128), app: callback.app.slice(0, 128) };
  const open = await db.streamSession.findMany({ where: { endedAt: null, ...connection }, select: SESSION_FIELDS, orderBy: { startedAt: 'desc' }, take: 8 });
  const argKey = callback.args.key;
  const key = argKey ?? callback.name;
  const keyHash = isWellFormedStreamKey(key) ? hashStreamKey(key) : null;
  const session = open.find((s) => (argKey !== undefined ? s.channel.slug === callback.name : keyHash !== null && s.channel.streamKeyHash === keyHash));
  // Form (a) after a key reset: the name (the old key) matches no channel any more.
  if (!session) return refuse(open.length > 0 && argKey === undefined ? 'key_changed' : 'no_session', null);
  const { channel } = session;
  const refusal = standingRefusal(channel, now);
  if (refusal !== null) return refuse(refusal, channel.slug);
  if (keyHash === null || channel.streamKeyHash !== keyHash) return refuse('key_changed', channel.slug);
  await db.streamSession.updateMany({ where: { id: session.id, endedAt: null }, data: { lastSeenAt: now } });
  return { alive: true, sessionId: session.id };
}
