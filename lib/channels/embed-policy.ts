// A channel's embed rule, between its three forms: the stored column (Channel.embedAllowedOrigins:
// "*", "none" or origins separated by spaces), the dashboard form, and the
// `Content-Security-Policy: frame-ancestors` value that makes the browser enforce it.
import { EMBED_ORIGINS_MAX, embedOriginSchema, type EmbedSettingsInput } from '../validations/embed';

export type EmbedPolicy = { kind: 'any' } | { kind: 'none' } | { kind: 'list'; origins: readonly string[] };

export const EMBED_ANY = '*';
export const EMBED_NONE = 'none';

/** The column's value for a validated form. */
export function serializeEmbedPolicy(input: EmbedSettingsInput): string {
  if (input.mode === 'any') return EMBED_ANY;
  if (input.mode === 'none' || input.origins.length === 0) return EMBED_NONE;
  return input.origins.join(' ');
}

/**
 * The policy a stored value means. Each origin is checked again (the column may have been edited
 * by hand), and anything unreadable leaves fewer sites allowed, never more: fail closed.
 */
export function parseEmbedPolicy(stored: string): EmbedPolicy {
  const value = stored.trim();
  if (value === EMBED_ANY) return { kind: 'any' };
  const origins: string[] = [];
  for (const item of value.split(/\s+/)) {
    const parsed = embedOriginSchema.safeParse(item);
    if (parsed.success && !origins.includes(parsed.data)) origins.push(parsed.data);
  }
  if (origins.length === 0) return { kind: 'none' };
  return { kind: 'list', origins: origins.slice(0, EMBED_ORIGINS_MAX) };
}

/** The `frame-ancestors` source list: `*`, `'none'`, or the origins. */
export function frameAncestors(policy: EmbedPolicy): string {
  switch (policy.kind) {
    case 'any':
      return '*';
    case 'none':
      return "'none'";
    case 'list':
      return policy.origins.join(' ');
  }
}

/** What the dashboard form shows for a stored value. */
export function embedFormValues(stored: string): { mode: EmbedSettingsInput['mode']; origins: string } {
  const policy = parseEmbedPolicy(stored);
  return policy.kind === 'list' ? { mode: 'list', origins: policy.origins.join('\n') } : { mode: policy.kind, origins: '' };
}
