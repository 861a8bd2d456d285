'use server';
// /admin/settings: the site-wide retention of past broadcasts (RECORDINGS_MAX_AGE_DAYS / _GB win while set).
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '../db';
import { setSavedRecordingLimits } from '../recordings/settings';
import { getCurrentUser } from '../session';
import { siteRecordingLimitsSchema } from '../validations/broadcast';
import { formString, type FormState } from './form-state';

export async function recordingLimitsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user?.isAdmin) return { status: 'error', message: 'Only admins can do this. Sign in again.' };
  const values = { maxAgeDays: formString(formData, 'maxAgeDays', 20), maxGb: formString(formData, 'maxGb', 20) };
  const parsed = siteRecordingLimitsSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  await setSavedRecordingLimits(getDb(), parsed.data);
  revalidatePath('/admin/settings');
  return { status: 'success', message: 'Recording limits saved.', values };
}
