// Lets a kicked channel publish again before its cooldown ends.
import type { Db } from '../db';

export async function liftPublishBlock(db: Db, channelId: string): Promise<void> {
  await db.channel.update({ where: { id: channelId }, data: { publishBlockedUntil: null } });
}
