// The embed rule's reads and writes. Ownership is the `userId` in the update's where clause.
import type { Db } from '../db';
import { isSlug } from '../live/slug';
import type { EmbedSettingsInput } from '../validations/embed';
import { parseEmbedPolicy, serializeEmbedPolicy, type EmbedPolicy } from './embed-policy';

/** Who may frame `/<slug>/embed`. An unknown or disabled channel may be framed by no one. */
export async function findEmbedPolicy(db: Db, slug: string): Promise<EmbedPolicy> {
  if (!isSlug(slug)) return { kind: 'none' };
  const channel = await db.channel.findUnique({ where: { slug }, select: { embedAllowedOrigins: true, disabled: true } });
  return channel && !channel.disabled ? parseEmbedPolicy(channel.embedAllowedOrigins) : { kind: 'none' };
}

/** Stores the validated form for the channel owned by `userId`; returns the stored value. */
export async function updateEmbedSettings(db: Db, userId: string, input: EmbedSettingsInput): Promise<string> {
  const channel = await db.channel.update({
    where: { userId },
    data: { embedAllowedOrigins: serializeEmbedPolicy(input) },
    select: { embedAllowedOrigins: true },
  });
  return channel.embedAllowedOrigins;
}
