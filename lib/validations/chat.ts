// The dashboard's chat settings forms: who may chat (always / live only / off), slow mode, and a
// moderator's username.
import { z } from 'zod';
import { CHAT_SLOW_MODE_MAX_SECONDS } from '../chat/limits';

export const chatSettingsSchema = z.object({
  mode: z.enum(['always', 'live', 'off'], { message: 'Choose when people can chat.' }),
  slowModeSeconds: z.coerce
    .number({ message: 'Enter a number of seconds.' })
    .int('Enter whole seconds.')
    .min(0, 'Slow mode is 0 (off) to 300 seconds.')
    .max(CHAT_SLOW_MODE_MAX_SECONDS, 'Slow mode is 0 (off) to 300 seconds.'),
});
export type ChatSettingsInput = z.infer<typeof chatSettingsSchema>;

export const moderatorUsernameSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter a username.')
    .max(64, 'No user has that name.')
    .regex(/^[a-z0-9_]+$/, 'No user has that name.'),
});
