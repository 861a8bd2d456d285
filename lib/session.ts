// Who is signed in. next-auth's jwt callback (lib/auth.ts) has already looked the user up for
// this request and refused a revoked, disabled or deleted user's token, so no second query here.
import { getServerSession } from 'next-auth';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { getAuthOptions } from './auth';
import { AppError } from './errors';

export interface CurrentUser {
  id: string;
  username: string;
  isAdmin: boolean;
}

/** Once per request (the header and the page both ask): one user lookup per page load. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id) return null;
  return { id: user.id, username: user.username, isAdmin: user.isAdmin };
});

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

/** For /admin pages and actions: a signed-in admin; anyone else gets a 404 (the pages are not advertised). */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user?.isAdmin) notFound();
  return user;
}
