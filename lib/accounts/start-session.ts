// Signs a user in from a server action: writes the same JWT session cookie next-auth would, with
// next-auth's own encoder, so getServerSession() and /api/auth/* read it as theirs.
import { encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { SESSION_MAX_AGE_SECONDS, sessionCookie } from '../auth';
import { getEnv } from '../env';
import { AppError } from '../errors';
import type { AuthenticatedUser } from './verify-credentials';

export async function startSession(user: AuthenticatedUser): Promise<void> {
  const env = getEnv();
  if (!env.NEXTAUTH_SECRET) throw new AppError('service_unavailable', 'NEXTAUTH_SECRET is not configured.');
  const token = await encode({
    token: { sub: user.id, name: user.username, username: user.username, sv: user.sessionVersion },
    secret: env.NEXTAUTH_SECRET,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  const cookie = sessionCookie(env);
  (await cookies()).set(cookie.name, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: cookie.secure,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export async function endSession(): Promise<void> {
  const store = await cookies();
  for (const name of ['next-auth.session-token', '__Secure-next-auth.session-token']) {
    if (store.has(name)) store.delete(name);
  }
}
