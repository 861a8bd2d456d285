import type { Db } from '../db';
import type { Channel } from '../generated/sqlite/client';
import type { ChannelSettingsInput } from '../validations/channel';

/** Updates title, description and category of the channel owned by `userId` (ownership is the where clause). */
export function updateChannelSettings(db: Db, userId: string, input: ChannelSettingsInput): Promise<Channel> {
  return db.channel.update({
    where: { userId },
    data: { title: input.title, description: input.description, category: input.category },
  });
}
