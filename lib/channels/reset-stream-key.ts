// Creates or replaces a channel's stream key. The old key's hash is overwritten in the same
// UPDATE, so it stops authorising publishes at once; a stream already running with the old key is
// then ended on the media server (endLiveStream), so a leaked key stops working for real.
import { systemClock, type Clock } from '../clock';
import type { Db } from '../db';
import { endLiveStream } from '../moderation/end-live-stream';
import { generateStreamKey, type NewStreamKey } from '../stream-keys';
import { isUniqueViolation } from './create-user-with-channel';

export interface ResetStreamKeyResult {
  key: string;
  last4: string;
  /** A stream was running with the old key and was ended. */
  endedLiveStream: boolean;
}

export async function resetStreamKey(
  db: Db,
  userId: string,
  clock: Clock = systemClock,
  generate: () => NewStreamKey = () => generateStreamKey(),
  endStream: (db: Db, channelId: string) => Promise<{ wasLive: boolean }> = (db, channelId) => endLiveStream(db, channelId, { reason: 'key_reset' }),
): Promise<ResetStreamKeyResult> {
  // A SHA-256 collision between two 160-bit random keys does not happen; the retry only keeps a
  // broken random source from surfacing as a generic 500.
  for (let attempt = 0; ; attempt += 1) {
    const fresh = generate();
    let channelId: string;
    try {
      ({ id: channelId } = await db.channel.update({
        where: { userId },
        data: { streamKeyHash: fresh.hash, streamKeyLast4: fresh.last4, streamKeyCreatedAt: new Date(clock.now()) },
        select: { id: true },
      }));
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 2) throw error;
      continue;
    }
    const { wasLive } = await endStream(db, channelId);
    return { key: fresh.key, last4: fresh.last4, endedLiveStream: wasLive };
  }
}
