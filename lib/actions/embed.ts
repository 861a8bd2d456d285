'use server';
// Dashboard action: who may embed the channel's player. Session first; ownership is the `userId`.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { updateEmbedSettings } from '../channels/embed-settings';
import { getDb } from '../db';
import { getCurrentUser } from '../session';
import { embedSettingsSchema } from '../validations/embed';
import { formString, type FormState } from './form-state';

export async function updateEmbedSettingsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return { status: 'error', message: 'Your session has ended. Sign in again.' };
  const values = { mode: formString(formData, 'mode', 10), origins: formString(formData, 'origins', 10_000) };
  const parsed = embedSettingsSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  await updateEmbedSettings(getDb(), user.id, parsed.data);
  revalidatePath('/dashboard');
  const saved = parsed.data.mode === 'list' ? { ...values, origins: parsed.data.origins.join('\n') } : values;
  return { status: 'success', message: 'Embed settings saved.', values: saved };
}
