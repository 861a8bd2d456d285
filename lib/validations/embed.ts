// Who may put a channel's player (/<slug>/embed) on their site: the dashboard form's schema and
// the one origin rule, shared by the form, the stored value's parser and the tests.
import { z } from 'zod';

/** More sites than this is a wildcard in disguise; "any site" exists for that. */
export const EMBED_ORIGINS_MAX = 20;
/** `https://` + a 253-character host name + `:65535` fits. */
export const EMBED_ORIGIN_MAX_LENGTH = 270;

export const EMBED_MODES = ['any', 'list', 'none'] as const;
export type EmbedMode = (typeof EMBED_MODES)[number];

const ORIGIN_MESSAGE = 'must be a site origin like https://example.com or http://host:8080 (no path, no wildcard)';

/**
 * `http(s)://host[:port]`, normalised to the browser's own serialisation (lower-case host, default
 * port dropped, IDN as punycode): the exact string a CSP source is compared with, and one that
 * can hold no space, quote, comma or semicolon, so it cannot inject another CSP directive.
 */
export const embedOriginSchema = z
  .string()
  .trim()
  .max(EMBED_ORIGIN_MAX_LENGTH, ORIGIN_MESSAGE)
  .transform((value, context) => {
    const origin = originOf(value);
    if (origin === null) {
      context.addIssue({ code: 'custom', message: `${value.slice(0, 80)} ${ORIGIN_MESSAGE}` });
      return z.NEVER;
    }
    return origin;
  });

function originOf(value: string): string | null {
  if (!/^https?:\/\/[^/?#@\s*]+\/?$/i.test(value) || !URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.origin;
}

/** The origins as typed into the form: one per line (spaces and commas separate too), deduplicated. */
export const embedOriginListSchema = z
  .string()
  .max(EMBED_ORIGINS_MAX * (EMBED_ORIGIN_MAX_LENGTH + 2), 'That list is too long.')
  .transform((text) => text.split(/[\s,]+/).filter((item) => item !== ''))
  .pipe(z.array(embedOriginSchema).max(EMBED_ORIGINS_MAX, `At most ${EMBED_ORIGINS_MAX} sites.`))
  .transform((origins) => [...new Set(origins)]);

/** The dashboard form: a mode, plus the list when the mode is `list`. */
export const embedSettingsSchema = z
  .object({
    mode: z.enum(EMBED_MODES, { error: 'Choose who may embed your player.' }),
    origins: embedOriginListSchema,
  })
  .superRefine((value, context) => {
    if (value.mode === 'list' && value.origins.length === 0) {
      context.addIssue({ code: 'custom', path: ['origins'], message: 'Add at least one site, or choose "No site".' });
    }
  });

export type EmbedSettingsInput = z.output<typeof embedSettingsSchema>;
