// Changing a password needs the current one (for accounts that have one) and ends every session:
// the caller re-issues its own browser's cookie with the returned version.
import type { Db } from '../db';
import { AppError } from '../errors';
import { hashPassword, verifyPassword } from '../passwords';

export async function changePassword(db: Db, userId: string, input: { currentPassword: string; newPassword: string }): Promise<{ sessionVersion: number }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError('not_found', 'No such user.');
  if (user.passwordHash !== null && !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('forbidden', 'The current password is wrong.');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const updated = await db.user.update({
    where: { id: userId },
    data: { passwordHash, sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated;
}
