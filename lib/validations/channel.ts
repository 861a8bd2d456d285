import { z } from 'zod';

export const CHANNEL_TITLE_MAX = 100;
export const CHANNEL_DESCRIPTION_MAX = 2000;
export const CHANNEL_CATEGORY_MAX = 50;

export const channelSettingsSchema = z.object({
  title: z
    .string({ error: 'Title is required.' })
    .trim()
    .min(1, 'Title is required.')
    .max(CHANNEL_TITLE_MAX, `Title must be at most ${CHANNEL_TITLE_MAX} characters.`),
  description: z
    .string()
    .trim()
    .max(CHANNEL_DESCRIPTION_MAX, `Description must be at most ${CHANNEL_DESCRIPTION_MAX} characters.`)
    .default(''),
  category: z
    .string()
    .trim()
    .max(CHANNEL_CATEGORY_MAX, `Category must be at most ${CHANNEL_CATEGORY_MAX} characters.`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .default(null),
});

export type ChannelSettingsInput = z.output<typeof channelSettingsSchema>;
