import type { Db } from '../db';
import { burnPasswordCheck, verifyPassword } from '../passwords';
import type { SignInInput } from '../validations/auth';

export interface AuthenticatedUser {
  id: string;
  username: string;
  /** Goes into the session token as `sv`; see lib/accounts/end-sessions.ts. */
  sessionVersion: number;
}

/**
 * The user whose password matches, or null. Unknown usernames and OAuth-only accounts spend the
 * same scrypt time as a wrong password, so timing does not tell them apart. A disabled account
 * cannot sign in (checked after the password, so the answer does not reveal that it exists).
 */
export async function verifyCredentials(db: Db, input: SignInInput): Promise<AuthenticatedUser | null> {
  const user = await db.user.findUnique({
    where: { username: input.username },
    select: { id: true, username: true, passwordHash: true, disabledAt: true, sessionVersion: true },
  });
  if (!user || user.passwordHash === null) return burnPasswordCheck(input.password).then(() => null);
  if (!(await verifyPassword(input.password, user.passwordHash))) return null;
  if (user.disabledAt !== null) return null;
  return { id: user.id, username: user.username, sessionVersion: user.sessionVersion };
}
