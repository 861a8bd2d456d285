// What an admin does to accounts. Each change that could leave the site without an admin runs
// in a transaction that counts the admins after the change and rolls back at zero, so two admins
// demoting each other at once cannot both succeed.
import type { Db, Prisma } from '../db';
import { AppError } from '../errors';
import { endLiveStream } from '../moderation/end-live-stream';

export const USER_SEARCH_LIMIT = 50;

/** Users whose username contains `query` (usernames are stored lowercase), newest first. */
export function searchUsers(db: Db, query: string) {
  const needle = query.trim().toLowerCase().slice(0, 30);
  return db.user.findMany({
    where: needle === '' ? {} : { username: { contains: needle } },
    orderBy: { createdAt: 'desc' },
    take: USER_SEARCH_LIMIT,
    select: { id: true, username: true, isAdmin: true, disabledAt: true, createdAt: true, channel: { select: { slug: true, isLive: true } } },
  });
}

async function assertAdminsRemain(tx: Prisma.TransactionClient): Promise<void> {
  const admins = await tx.user.count({ where: { isAdmin: true, disabledAt: null } });
  if (admins === 0) throw new AppError('conflict', 'The site must keep at least one active admin.');
}

function notYourself(actorId: string, userId: string, what: string): void {
  if (actorId === userId) throw new AppError('forbidden', `You cannot ${what} your own account here.`);
}

export async function setUserAdmin(db: Db, actorId: string, userId: string, isAdmin: boolean): Promise<void> {
  if (!isAdmin) notYourself(actorId, userId, 'remove admin rights from');
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { isAdmin } });
    await assertAdminsRemain(tx);
  });
}

/** Disabling ends the user's sessions (and sign-in is refused) and stops their running stream. */
export async function setUserDisabled(db: Db, actorId: string, userId: string, disabled: boolean): Promise<void> {
  if (disabled) notYourself(actorId, userId, 'disable');
  const channel = await db.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: userId },
      data: disabled ? { disabledAt: new Date(), sessionVersion: { increment: 1 } } : { disabledAt: null },
      select: { channel: { select: { id: true } } },
    });
    await assertAdminsRemain(tx);
    return user.channel;
  });
  if (disabled && channel) await endLiveStream(db, channel.id, { reason: 'user_disabled' });
}

/**
 * Deletes a user with their channel, stream key and stream sessions (cascades); a running stream
 * is ended first. Refused when it would remove the last admin (self-service delete uses this too).
 */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  const channel = await db.channel.findUnique({ where: { userId }, select: { id: true } });
  if (channel) await endLiveStream(db, channel.id, { reason: 'account_deleted' });
  await db.$transaction(async (tx) => {
    const { count } = await tx.user.deleteMany({ where: { id: userId } });
    if (count !== 1) throw new AppError('not_found', 'No such user.');
    await assertAdminsRemain(tx);
  });
}

export async function deleteUserAsAdmin(db: Db, actorId: string, userId: string): Promise<void> {
  notYourself(actorId, userId, 'delete');
  await deleteUser(db, userId);
}
