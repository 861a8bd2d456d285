// Who is signed in. The JWT says who; the database confirms the account still exists, so a
// deleted user's cookie stops working at once.
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { getAuthOptions } from './auth';
import { getDb } from './db';
import { AppError } from './errors';

export interface CurrentUser {
  id: string;
  username: string;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user.id;
  if (!id) return null;
  return getDb().user.findUnique({ where: { id }, select: { id: true, username: true } });
}

/** For pages: the signed-in user, or a redirect to the sign-in page. */
export async function requireUser(callbackUrl = '/dashboard'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
}

/** For server actions and route handlers: the signed-in user, or an `unauthorized` AppError. */
export async function requireUserOrThrow(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized', 'Sign in first.');
  return user;
}
