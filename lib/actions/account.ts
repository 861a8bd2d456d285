'use server';
// Account page actions: change password, sign out everywhere, delete account. Each checks the
// session first and acts on the signed-in user only.
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { changePassword } from '../accounts/change-password';
import { deleteOwnAccount } from '../accounts/delete-account';
import { endAllSessions } from '../accounts/end-sessions';
import { endSession, startSession } from '../accounts/start-session';
import { getDb } from '../db';
import { AppError } from '../errors';
import { authRateLimiters, rateLimitMessage } from '../rate-limit';
import { getCurrentUser } from '../session';
import { changePasswordSchema, deleteAccountSchema } from '../validations/account';
import { formString, type FormState } from './form-state';

const SIGNED_OUT: FormState = { status: 'error', message: 'Your session has ended. Sign in again.' };

/** A stolen session must not give unlimited guesses at the password these forms ask for. */
function passwordGuessLimited(username: string): FormState | null {
  // The same per-username budget as sign-in (lib/rate-limit.ts consumeSignIn keys it the same way).
  const limit = authRateLimiters().signInByUsername.consume(`user:${username.trim().toLowerCase().slice(0, 64)}`);
  return limit.ok ? null : { status: 'error', message: rateLimitMessage('password', limit.retryAfterMs, 'username') };
}

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const parsed = changePasswordSchema.safeParse({
    currentPassword: formString(formData, 'currentPassword', 1000),
    newPassword: formString(formData, 'newPassword', 1000),
    confirmPassword: formString(formData, 'confirmPassword', 1000),
  });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors };
  const limited = passwordGuessLimited(user.username);
  if (limited) return limited;
  try {
    const { sessionVersion } = await changePassword(getDb(), user.id, parsed.data);
    // Every other session ended with the version bump; this browser carries on with the new one.
    await startSession({ id: user.id, username: user.username, sessionVersion });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') return { status: 'error', errors: { currentPassword: [error.message] } };
    throw error;
  }
  return { status: 'success', message: 'Password changed. You were signed out everywhere else.' };
}

export async function signOutEverywhereAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await endAllSessions(getDb(), user.id);
  await endSession();
  redirect('/login');
}

export async function deleteAccountAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const parsed = deleteAccountSchema.safeParse({ confirmation: formString(formData, 'confirmation', 1000) });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors };
  const limited = passwordGuessLimited(user.username);
  if (limited) return limited;
  try {
    await deleteOwnAccount(getDb(), user.id, parsed.data.confirmation);
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') return { status: 'error', errors: { confirmation: [error.message] } };
    if (error instanceof AppError && error.code === 'conflict') {
      return { status: 'error', message: 'You are the last admin: make another user an admin before deleting your account.' };
    }
    throw error;
  }
  await endSession();
  redirect('/');
}
