// Server configuration, validated once with zod. The rules live in lib/config/env-schema.mjs,
// which `npm start` checks before starting anything. Read lazily (first use, not import) so that
// `next build` never needs runtime secrets, and a misconfiguration fails with one clear message.
import type { z } from 'zod';
import { DEFAULT_NGINX_RTMP_CONTROL_URL, envProblems, envSchema } from './config/env-schema.mjs';

export { DEFAULT_NGINX_RTMP_CONTROL_URL, envSchema };

export type Env = z.output<typeof envSchema>;

/** Parses an environment; throws one error listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const problems = envProblems(source);
  if (problems.length > 0) throw new Error(`invalid environment:\n  ${problems.join('\n  ')}`);
  return envSchema.parse(source);
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
