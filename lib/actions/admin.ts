'use server';
// /admin actions. Each checks first that a signed-in admin sends it; everyone else gets a refusal.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createInvite, revokeInvite } from '../accounts/invites';
import { deleteUserAsAdmin, setUserAdmin, setUserDisabled } from '../admin/users';
import { getDb } from '../db';
import { AppError } from '../errors';
import { kickChannel } from '../moderation/kick-channel';
import { liftPublishBlock } from '../moderation/lift-publish-block';
import { setChannelDisabled } from '../moderation/set-channel-disabled';
import { setRegistrationMode } from '../site-settings/registration';
import { getCurrentUser, type CurrentUser } from '../session';
import { channelOperationSchema, createInviteSchema, registrationModeSchema, revokeInviteSchema, userOperationSchema } from '../validations/admin';
import { formString, type FormState } from './form-state';

const NOT_ADMIN: FormState = { status: 'error', message: 'Only admins can do this. Sign in again.' };

export interface InviteState extends FormState {
  /** `/signup?invite=<token>`: shown once, right after it was made. */
  invitePath?: string;
}

async function currentAdmin(): Promise<CurrentUser | null> {
  const user = await getCurrentUser();
  return user?.isAdmin ? user : null;
}

/** AppErrors (last admin, yourself, not found) become the form's message; anything else is a real failure. */
async function run(done: string, paths: string[], work: () => Promise<void>): Promise<FormState> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return { status: 'error', message: error.message };
    throw error;
  }
  for (const path of paths) revalidatePath(path);
  return { status: 'success', message: done };
}

export async function userOperationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_ADMIN;
  const parsed = userOperationSchema.safeParse({ userId: formString(formData, 'userId', 100), op: formString(formData, 'op', 50) });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, message: 'Invalid request.' };
  const { userId, op } = parsed.data;
  const db = getDb();
  const paths = ['/admin/users', '/admin/channels'];
  switch (op) {
    case 'disable':
      return run('User disabled; their sessions and stream ended.', paths, () => setUserDisabled(db, admin.id, userId, true));
    case 'enable':
      return run('User enabled.', paths, () => setUserDisabled(db, admin.id, userId, false));
    case 'delete':
      return run('User deleted.', paths, () => deleteUserAsAdmin(db, admin.id, userId));
    case 'grant-admin':
      return run('User is now an admin.', paths, () => setUserAdmin(db, admin.id, userId, true));
    case 'revoke-admin':
      return run('Admin rights removed.', paths, () => setUserAdmin(db, admin.id, userId, false));
  }
}

export async function channelOperationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_ADMIN;
  const parsed = channelOperationSchema.safeParse({ channelId: formString(formData, 'channelId', 100), op: formString(formData, 'op', 50) });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, message: 'Invalid request.' };
  const { channelId, op } = parsed.data;
  const db = getDb();
  const paths = ['/admin/channels'];
  switch (op) {
    case 'kick':
      return run('Stream kicked; the channel cannot publish again for a while.', paths, async () => {
        await kickChannel(db, channelId);
      });
    case 'disable':
      return run('Channel disabled.', paths, () => setChannelDisabled(db, channelId, true));
    case 'enable':
      return run('Channel enabled.', paths, () => setChannelDisabled(db, channelId, false));
    case 'lift-block':
      return run('Publish block lifted.', paths, () => liftPublishBlock(db, channelId));
  }
}

export async function createInviteAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_ADMIN;
  const parsed = createInviteSchema.safeParse({ days: formString(formData, 'days', 10) });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors };
  const invite = await createInvite(getDb(), admin.id, parsed.data.days);
  revalidatePath('/admin/invites');
  return {
    status: 'success',
    message: `Invite created; it expires ${invite.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Copy the link now: it is not shown again.`,
    invitePath: `/signup?invite=${invite.token}`,
  };
}

export async function revokeInviteAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_ADMIN;
  const parsed = revokeInviteSchema.safeParse({ inviteId: formString(formData, 'inviteId', 100) });
  if (!parsed.success) return { status: 'error', message: 'Invalid request.' };
  const revoked = await revokeInvite(getDb(), parsed.data.inviteId);
  revalidatePath('/admin/invites');
  return revoked ? { status: 'success', message: 'Invite revoked.' } : { status: 'error', message: 'That invite was already used or removed.' };
}

export async function registrationModeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const admin = await currentAdmin();
  if (!admin) return NOT_ADMIN;
  const parsed = registrationModeSchema.safeParse({ mode: formString(formData, 'mode', 20) });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors };
  await setRegistrationMode(getDb(), parsed.data.mode);
  revalidatePath('/admin/settings');
  return { status: 'success', message: `Registration is now ${parsed.data.mode}.` };
}
