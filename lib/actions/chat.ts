'use server';
// Dashboard actions for the channel's chat. Session first; ownership is the `userId` in every
// query (lib/chat/settings.ts). A settings change reaches open chats at once (`chat-room`).
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getChatRuntime } from '../chat/runtime';
import { addChatModeratorByUsername, liftChatSanctionByUsername, removeChatModeratorByUsername, updateChatSettings } from '../chat/settings';
import { getDb } from '../db';
import { AppError } from '../errors';
import { getCurrentUser } from '../session';
import { chatSettingsSchema, moderatorUsernameSchema } from '../validations/chat';
import { formString, type FormState } from './form-state';

const SIGNED_OUT: FormState = { status: 'error', message: 'Your session has ended. Sign in again.' };

export async function updateChatSettingsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = { mode: formString(formData, 'mode', 10), slowModeSeconds: formString(formData, 'slowModeSeconds', 10) };
  const parsed = chatSettingsSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  const channel = await updateChatSettings(getDb(), user.id, parsed.data);
  getChatRuntime().service.roomChanged(channel);
  revalidatePath('/dashboard');
  return { status: 'success', message: 'Chat settings saved.', values: { mode: channel.mode, slowModeSeconds: String(channel.slowModeSeconds) } };
}

export async function addChatModeratorAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = { username: formString(formData, 'username', 100) };
  const parsed = moderatorUsernameSchema.safeParse(values);
  if (!parsed.success) return { status: 'error', errors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    const username = await addChatModeratorByUsername(getDb(), user.id, parsed.data.username);
    revalidatePath('/dashboard');
    return { status: 'success', message: `${username} is now a moderator of your chat.`, values: { username: '' } };
  } catch (error) {
    if (error instanceof AppError) return { status: 'error', errors: { username: [error.message] }, values };
    throw error;
  }
}

export async function removeChatModeratorAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return onNamedUser(formData, (ownerId, username) => removeChatModeratorByUsername(getDb(), ownerId, username), (username) => `${username} no longer moderates your chat.`);
}

export async function liftChatSanctionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return onNamedUser(formData, (ownerId, username) => liftChatSanctionByUsername(getDb(), ownerId, username), (username) => `${username} may chat again.`);
}

/** A dashboard button on one user of the owner's chat (the form's hidden `username`). */
async function onNamedUser(formData: FormData, apply: (ownerId: string, username: string) => Promise<void>, done: (username: string) => string): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const parsed = moderatorUsernameSchema.safeParse({ username: formString(formData, 'username', 100) });
  if (!parsed.success) return { status: 'error', message: 'No user has that name.' };
  await apply(user.id, parsed.data.username);
  revalidatePath('/dashboard');
  return { status: 'success', message: done(parsed.data.username) };
}
