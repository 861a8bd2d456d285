// Shared zod schemas for the Account page.
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../passwords';
import { newPasswordSchema } from './auth';

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().max(PASSWORD_MAX_LENGTH),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: 'Repeat the new password.' }).max(PASSWORD_MAX_LENGTH),
  })
  .refine((value) => value.newPassword === value.confirmPassword, { path: ['confirmPassword'], message: 'Passwords do not match.' });

export const deleteAccountSchema = z.object({
  confirmation: z.string().min(1, 'Confirm with your password (or your username if you have no password).').max(PASSWORD_MAX_LENGTH),
});
