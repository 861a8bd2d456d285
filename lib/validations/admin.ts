// Shared zod schemas for the /admin forms.
import { z } from 'zod';
import { INVITE_EXPIRY_DAYS } from '../accounts/invite-expiry';
import { REGISTRATION_MODES } from '../site-settings/registration';

const id = z.string().min(1).max(64);

export const userOperationSchema = z.object({
  userId: id,
  op: z.enum(['disable', 'enable', 'delete', 'grant-admin', 'revoke-admin'], { error: 'Unknown operation.' }),
});

export const channelOperationSchema = z.object({
  channelId: id,
  op: z.enum(['kick', 'disable', 'enable', 'lift-block'], { error: 'Unknown operation.' }),
});

export const createInviteSchema = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((days) => (INVITE_EXPIRY_DAYS as readonly number[]).includes(days), `Choose ${INVITE_EXPIRY_DAYS.join(', ')} days.`),
});

export const revokeInviteSchema = z.object({ inviteId: id });

export const registrationModeSchema = z.object({
  mode: z.enum(REGISTRATION_MODES, { error: 'Choose open, invite or closed.' }),
});
