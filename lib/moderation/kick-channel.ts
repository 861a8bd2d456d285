// An admin's kick: the running stream ends now and the channel may not publish again for a while
// (KICK_BLOCK_MINUTES, default 5), because OBS reconnects by itself. The block is written first,
// so a reconnect racing the kick is refused by on_publish.
import type { Db } from '../db';
import { moderationDepsFromEnv, type ModerationDeps } from './deps';
import { endLiveStream, type EndLiveStreamResult } from './end-live-stream';

export interface KickOptions {
  /** Overrides KICK_BLOCK_MINUTES for this kick; 0 ends the stream without blocking. */
  blockForMs?: number;
}

export async function kickChannel(db: Db, channelId: string, { blockForMs }: KickOptions = {}, deps?: ModerationDeps): Promise<EndLiveStreamResult> {
  const resolved = deps ?? moderationDepsFromEnv();
  const blockMs = Math.max(0, blockForMs ?? resolved.kickBlockMs);
  const until = blockMs > 0 ? new Date(resolved.clock.now() + blockMs) : null;
  await db.channel.update({ where: { id: channelId }, data: { publishBlockedUntil: until } });
  resolved.logger.info('channel_kicked', { channelId, blockedUntil: until?.toISOString() ?? null });
  return endLiveStream(db, channelId, { reason: 'kicked' }, resolved);
}
