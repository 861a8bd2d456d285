// Self-service account deletion, confirmed with the password (or, for accounts that sign in only
// through GitHub/OIDC, by typing the username).
import type { Db } from '../db';
import { deleteUser } from '../admin/users';
import { AppError } from '../errors';
import { verifyPassword } from '../passwords';

export async function deleteOwnAccount(db: Db, userId: string, confirmation: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { username: true, passwordHash: true } });
  if (!user) throw new AppError('not_found', 'No such user.');
  const confirmed = user.passwordHash !== null ? await verifyPassword(confirmation, user.passwordHash) : confirmation.trim().toLowerCase() === user.username;
  if (!confirmed) throw new AppError('forbidden', user.passwordHash !== null ? 'The password is wrong.' : 'Type your username to confirm.');
  await deleteUser(db, userId);
}
