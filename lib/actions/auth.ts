'use server';
// Sign-up, sign-in and sign-out as server actions for `useActionState` forms.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { endSession, startSession } from '../accounts/start-session';
import { verifyCredentials } from '../accounts/verify-credentials';
import { registerUser, signUpGrantFor } from '../accounts/register-user';
import { isWellFormedLinkToken } from '../accounts/tokens';
import { clientKey } from '../client-address';
import { getDb } from '../db';
import { AppError } from '../errors';
import { hashPassword } from '../passwords';
import { authRateLimiters, consumeSignIn, rateLimitMessage } from '../rate-limit';
import { safeRedirectPath } from '../safe-redirect';
import { signInSchema, signUpSchema } from '../validations/auth';
import { formString, type FormState } from './form-state';

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: formString(formData, 'username', 100) };
  const limit = authRateLimiters().signUpByAddress.consume(`ip:${clientKey(await headers())}`);
  if (!limit.ok) return { status: 'error', message: rateLimitMessage('sign-up', limit.retryAfterMs), values };

  const parsed = signUpSchema.safeParse({
    username: formString(formData, 'username', 100),
    password: formString(formData, 'password', 1000),
    confirmPassword: formString(formData, 'confirmPassword', 1000),
  });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };

  // The setup or invite token travels in hidden fields from /signup?setup=… or ?invite=….
  const setup = formData.get('setup');
  const invite = formData.get('invite');
  const grant = await signUpGrantFor(getDb(), {
    setup: isWellFormedLinkToken(setup) ? setup : undefined,
    invite: isWellFormedLinkToken(invite) ? invite : undefined,
  });
  if ('refused' in grant) return { status: 'error', message: grant.refused, values };

  try {
    const passwordHash = await hashPassword(parsed.data.password);
    const { user } = await registerUser(getDb(), grant, { username: parsed.data.username, passwordHash });
    await startSession({ id: user.id, username: user.username, sessionVersion: user.sessionVersion });
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') {
      return { status: 'error', errors: { username: [error.message] }, values };
    }
    if (error instanceof AppError && error.code === 'forbidden') return { status: 'error', message: error.message, values };
    throw error;
  }
  redirect('/dashboard');
}

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { username: formString(formData, 'username', 100) };
  const parsed = signInSchema.safeParse({ username: formString(formData, 'username', 100), password: formString(formData, 'password', 1000) });
  // Per address, then per username, so rotating addresses does not buy unlimited guesses at one password.
  const limit = consumeSignIn(authRateLimiters(), { clientKey: clientKey(await headers()), username: values.username });
  if (!limit.ok) return { status: 'error', message: rateLimitMessage('sign-in', limit.retryAfterMs, limit.scope), values };
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };

  const user = await verifyCredentials(getDb(), parsed.data);
  if (!user) return { status: 'error', message: 'Unknown username or wrong password.', values };
  await startSession(user);
  redirect(safeRedirectPath(formData.get('callbackUrl')));
}

export async function signOutAction(): Promise<void> {
  await endSession();
  redirect('/');
}
