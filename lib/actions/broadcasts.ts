'use server';
// Dashboard actions on past broadcasts. Each checks the session first; ownership is in every query
// (lib/recordings/manage.ts).
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '../db';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { deleteOwnBroadcast, updateOwnBroadcast, updateRecordingSettings } from '../recordings/manage';
import { getCurrentUser } from '../session';
import { broadcastIdSchema, broadcastUpdateSchema, recordingSettingsSchema } from '../validations/broadcast';
import { formString, type FormState } from './form-state';

const SIGNED_OUT: FormState = { status: 'error', message: 'Your session has ended. Sign in again.' };
const NOT_FOUND: FormState = { status: 'error', message: 'That broadcast no longer exists.' };

function revalidate(username: string): void {
  revalidatePath('/dashboard');
  revalidatePath(`/${username}`);
}

export async function updateBroadcastAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = { id: formString(formData, 'id', 64), title: formString(formData, 'title', 1000), visibility: formString(formData, 'visibility', 20) };
  const parsed = broadcastUpdateSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    await updateOwnBroadcast(getDb(), user.id, parsed.data.id, { title: parsed.data.title, visibility: parsed.data.visibility });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return NOT_FOUND;
    throw error;
  }
  revalidate(user.username);
  return { status: 'success', message: 'Saved.', values };
}

export async function deleteBroadcastAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const parsed = broadcastIdSchema.safeParse(formString(formData, 'id', 64));
  if (!parsed.success) return NOT_FOUND;
  try {
    await deleteOwnBroadcast(getDb(), user.id, getEnv().RECORD_DIR, parsed.data);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return NOT_FOUND;
    throw error;
  }
  revalidate(user.username);
  return { status: 'success', message: 'Deleted.' };
}

export async function recordingSettingsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = {
    recordingsMaxAgeDays: formString(formData, 'recordingsMaxAgeDays', 20),
    recordingsMaxGb: formString(formData, 'recordingsMaxGb', 20),
  };
  const parsed = recordingSettingsSchema.safeParse({ ...values, recordBroadcasts: formData.get('recordBroadcasts') === 'on' });
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  await updateRecordingSettings(getDb(), user.id, parsed.data);
  revalidate(user.username);
  return { status: 'success', message: parsed.data.recordBroadcasts ? 'Recording settings saved.' : 'Recording is off: new broadcasts are not kept.', values };
}
