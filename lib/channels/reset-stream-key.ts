// Creates or replaces a channel's stream key. The old key's hash is overwritten in the same
// UPDATE, so it stops authorising publishes at once; a stream already running is not cut off
// (the media server owns that connection) but cannot be restarted with the old key.
import type { Db } from '../db';
import { generateStreamKey, type NewStreamKey } from '../stream-keys';
import { isUniqueViolation } from './create-user-with-channel';

export async function resetStreamKey(
  db: Db,
  userId: string,
  now: () => Date = () => new Date(),
  generate: () => NewStreamKey = () => generateStreamKey(),
): Promise<{ key: string; last4: string }> {
  // A SHA-256 collision between two 160-bit random keys does not happen; the retry only keeps a
  // broken random source from surfacing as a generic 500.
  for (let attempt = 0; ; attempt += 1) {
    const fresh = generate();
    try {
      await db.channel.update({
        where: { userId },
        data: { streamKeyHash: fresh.hash, streamKeyLast4: fresh.last4, streamKeyCreatedAt: now() },
      });
      return { key: fresh.key, last4: fresh.last4 };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 2) throw error;
    }
  }
}
