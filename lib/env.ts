// Server configuration, validated once with zod. Read lazily (first use, not import) so that
// `next build` never needs runtime secrets, and a misconfiguration fails with one clear message.
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = (protocols: readonly string[]) =>
  optionalString.refine(
    (value) => value === undefined || (URL.canParse(value) && protocols.includes(new URL(value).protocol)),
    { message: `must be a ${protocols.join(' or ')} URL` },
  );

/** The loopback-only control server of media-server/nginx/nginx.conf (`${CONTROL_PORT}` = 127.0.0.1:8936). */
export const DEFAULT_NGINX_RTMP_CONTROL_URL = 'http://127.0.0.1:8936/control';

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** `file:./data/onair.db` (SQLite, the default) or `postgresql://...`. */
    DATABASE_URL: z.string().trim().min(1).default('file:./data/onair.db'),
    /** Signs the JWT session cookies. `npm start` generates one into data/secrets.json. */
    NEXTAUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    NEXTAUTH_URL: optionalUrl(['http:', 'https:']),
    /** Public base URL of the web app; used as NEXTAUTH_URL when that one is unset. */
    PUBLIC_URL: optionalUrl(['http:', 'https:']),
    /** Authenticates the media server's callbacks (`?secret=` in the callback URL). */
    RTMP_CALLBACK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    /** RTMP ingest URL shown to streamers; default `rtmp://<host of the request>:1935/live`. */
    PUBLIC_RTMP_URL: optionalUrl(['rtmp:', 'rtmps:']),
    /** Base URL of the HLS output as seen by viewers (used by the viewer pages). */
    PUBLIC_HLS_URL: optionalUrl(['http:', 'https:']),
    /** Which media server sits in front: decides what the streamer pastes as Stream Key. */
    MEDIA_SERVER: z.enum(['bundled', 'nginx-rtmp']).default('bundled'),
    MEDIA_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8935),
    /** The bundled media server's RTMP port and app: the default Server URL shown to streamers. */
    RTMP_PORT: z.coerce.number().int().min(1).max(65535).default(1935),
    RTMP_APP: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only')
      .default('live'),
    /** The bundled media server's live stream list; default from MEDIA_HTTP_PORT. */
    MEDIA_SERVER_API_URL: optionalUrl(['http:', 'https:']),
    /** Bearer token for the media server's private API (/api/streams, kick). `npm start` generates one. */
    MEDIA_SERVER_API_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    /** nginx-rtmp mode: its `rtmp_control` location (loopback only), used to drop a publisher now. */
    NGINX_RTMP_CONTROL_URL: optionalUrl(['http:', 'https:']),
    /** How long a kicked channel may not publish again (OBS reconnects by itself). */
    KICK_BLOCK_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(5),
    /** Who may sign up: `open`, `invite` or `closed`. Set, it wins over the admin's site setting. */
    REGISTRATION: optionalString.pipe(z.enum(['open', 'invite', 'closed']).optional()),
    GITHUB_ID: optionalString,
    GITHUB_SECRET: optionalString,
    OIDC_ISSUER: optionalUrl(['http:', 'https:']),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
  })
  .transform((env) => ({
    ...env,
    MEDIA_SERVER_API_URL: env.MEDIA_SERVER_API_URL ?? `http://127.0.0.1:${env.MEDIA_HTTP_PORT}/api/streams`,
    NGINX_RTMP_CONTROL_URL: (env.NGINX_RTMP_CONTROL_URL ?? DEFAULT_NGINX_RTMP_CONTROL_URL).replace(/\/+$/, ''),
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? env.PUBLIC_URL,
  }));

export type Env = z.output<typeof envSchema>;

/** Parses an environment; throws one error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
