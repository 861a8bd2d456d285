// The play decision (on_play): an RTMP player may watch a live, enabled channel named by its slug,
// the same channels the watch page plays. A stream key as the name is refused before any lookup
// (and never logged), so is anything that is not a slug. An allowed player counts as a viewer
// until on_play_done (lib/live/rtmp-players.ts).
import type { Db } from '../db';
import type { Logger } from '../logger';
import { rtmpPlayerKey, type RtmpPlayers } from '../live/rtmp-players';
import { isSlug } from '../live/slug';
import { addressKey, normalizeAddress } from '../net/trust-proxy.mjs';
import { isWellFormedStreamKey } from '../stream-keys';
import type { PublishCallback } from './types';

export type PlayDenyCode = 'stream_key' | 'not_a_slug' | 'unknown_channel' | 'channel_disabled' | 'owner_disabled' | 'not_live' | 'too_many_players';

export type PlayDecision = { allow: true; channelId: string } | { allow: false; /** Readable, safe to log and to show the player. */ reason: string; code: PlayDenyCode };

const REASONS: Record<PlayDenyCode, string> = {
  stream_key: 'play a channel by its name, never by a stream key',
  not_a_slug: 'no such channel',
  unknown_channel: 'no such channel',
  channel_disabled: 'no such channel',
  owner_disabled: 'no such channel',
  not_live: 'channel is not live',
  too_many_players: 'too many RTMP players right now',
};

export interface PlayDeps {
  db: Db;
  logger: Logger;
  /** Where players count as viewers; absent (tests of the decision alone): not counted. */
  players?: RtmpPlayers;
}

/** What may be logged about a play callback: the name only when it is a slug. */
function playLogContext(callback: PublishCallback): Record<string, string> {
  return {
    app: callback.app.slice(0, 64),
    addr: callback.addr.slice(0, 64),
    clientId: callback.clientId.slice(0, 64),
    slug: isSlug(callback.name) && !isWellFormedStreamKey(callback.name) ? callback.name : '(not a channel name)',
  };
}

export async function authorizePlay(deps: PlayDeps, callback: PublishCallback): Promise<PlayDecision> {
  const deny = (code: PlayDenyCode): PlayDecision => {
    deps.logger.warn('play_denied', { reason: code, ...playLogContext(callback) });
    return { allow: false, reason: REASONS[code], code };
  };
  if (isWellFormedStreamKey(callback.name)) return deny('stream_key');
  if (!isSlug(callback.name)) return deny('not_a_slug');
  const channel = await deps.db.channel.findUnique({
    where: { slug: callback.name },
    select: { id: true, disabled: true, isLive: true, user: { select: { disabledAt: true } } },
  });
  if (!channel) return deny('unknown_channel');
  if (channel.disabled) return deny('channel_disabled');
  if (channel.user.disabledAt !== null) return deny('owner_disabled');
  if (!channel.isLive) return deny('not_live');
  if (deps.players) {
    const address = normalizeAddress(callback.addr);
    const counted = deps.players.join(channel.id, rtmpPlayerKey(callback), address ? addressKey(address) : 'unknown');
    if (!counted) return deny('too_many_players');
  }
  deps.logger.info('play_allowed', playLogContext(callback));
  return { allow: true, channelId: channel.id };
}

/** on_play_done: the player no longer counts. Nothing else to do (the media server already ended it). */
export function endPlay(deps: PlayDeps, callback: PublishCallback): void {
  deps.players?.leave(rtmpPlayerKey(callback));
  deps.logger.info('play_done', playLogContext(callback));
}
