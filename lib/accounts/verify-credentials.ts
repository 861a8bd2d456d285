import type { Db } from '../db';
import { burnPasswordCheck, verifyPassword } from '../passwords';
import type { SignInInput } from '../validations/auth';

export interface AuthenticatedUser {
  id: string;
  username: string;
}

/**
 * The user whose password matches, or null. Unknown usernames and OAuth-only accounts spend the
 * same scrypt time as a wrong password, so timing does not tell them apart.
 */
export async function verifyCredentials(db: Db, input: SignInInput): Promise<AuthenticatedUser | null> {
  const user = await db.user.findUnique({ where: { username: input.username }, select: { id: true, username: true, passwordHash: true } });
  if (!user || user.passwordHash === null) return burnPasswordCheck(input.password).then(() => null);
  if (!(await verifyPassword(input.password, user.passwordHash))) return null;
  return { id: user.id, username: user.username };
}
