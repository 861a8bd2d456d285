'use server';
// Dashboard actions. Each one checks the session first; ownership is the `userId` in every query.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { resetStreamKey } from '../channels/reset-stream-key';
import { updateChannelSettings } from '../channels/update-channel-settings';
import { getDb } from '../db';
import { getCurrentUser } from '../session';
import { channelSettingsSchema } from '../validations/channel';
import { formString, type FormState, type StreamKeyState } from './form-state';

const SIGNED_OUT: FormState = { status: 'error', message: 'Your session has ended. Sign in again.' };

export async function updateChannelAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = {
    title: formString(formData, 'title', 1000),
    description: formString(formData, 'description', 10_000),
    category: formString(formData, 'category', 1000),
  };
  const parsed = channelSettingsSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  await updateChannelSettings(getDb(), user.id, parsed.data);
  revalidatePath('/dashboard');
  revalidatePath(`/${user.username}`);
  return { status: 'success', message: 'Channel saved.', values };
}

export async function resetStreamKeyAction(_previous: StreamKeyState, _formData: FormData): Promise<StreamKeyState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const { key, last4, endedLiveStream } = await resetStreamKey(getDb(), user.id);
  const ended = endedLiveStream ? ' The stream running with it was stopped.' : '';
  return { status: 'success', message: `New stream key created. The previous key no longer works.${ended}`, key, last4 };
}
