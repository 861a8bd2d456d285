import type { Db } from '../db';
import { AppError } from '../errors';
import type { Channel } from '../generated/sqlite/client';

/** The signed-in user's own channel; every user has exactly one from sign-up on. */
export async function getChannelForUserOrThrow(db: Db, userId: string): Promise<Channel> {
  const channel = await db.channel.findUnique({ where: { userId } });
  if (!channel) throw new AppError('not_found', 'You have no channel.');
  return channel;
}
