import { z } from 'zod';
import { VISIBILITIES } from '../recordings/access';

export const BROADCAST_TITLE_MAX = 100;

export const broadcastIdSchema = z.string().regex(/^[a-z0-9]{8,40}$/, 'No such broadcast.');

export const broadcastUpdateSchema = z.object({
  id: broadcastIdSchema,
  title: z.string().trim().min(1, 'Title is required.').max(BROADCAST_TITLE_MAX, `Title must be at most ${BROADCAST_TITLE_MAX} characters.`),
  visibility: z.enum(VISIBILITIES, { error: 'Choose public, unlisted or private.' }),
});

/** An empty field is "no limit of my own" (the site's applies). */
const optionalLimit = (max: number, label: string) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((value) => value === null || (Number.isFinite(value) && value > 0 && value <= max), `${label} must be a number above 0 and at most ${max}, or empty.`);

export const recordingSettingsSchema = z.object({
  recordBroadcasts: z.boolean(),
  recordingsMaxAgeDays: optionalLimit(36_500, 'Maximum age').refine((value) => value === null || Number.isInteger(value), 'Maximum age must be whole days.'),
  recordingsMaxGb: optionalLimit(1_000_000, 'Maximum size'),
});

export const siteRecordingLimitsSchema = z.object({
  maxAgeDays: optionalLimit(36_500, 'Maximum age').refine((value) => value === null || Number.isInteger(value), 'Maximum age must be whole days.'),
  maxGb: optionalLimit(1_000_000, 'Maximum size'),
});
