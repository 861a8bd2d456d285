// A public channel by the name in its URLs (/<slug>, /api/channels/<slug>/..., /api/thumbnails/<slug>).
// One lookup for every page and route that takes a slug: a name that is not a slug never reaches
// the database, and a disabled channel is as absent as an unknown one.
import type { Db } from '../db';
import { AppError } from '../errors';
import { channelSelect, toChannelRow } from '../live/live-data';
import type { ChannelRow } from '../live/live-hub';
import { isSlug } from '../live/slug';

/** The channel, or null when the name is not a slug, unknown or disabled. */
export async function findChannelBySlug(db: Db, slug: string): Promise<ChannelRow | null> {
  if (!isSlug(slug)) return null;
  const channel = await db.channel.findUnique({ where: { slug }, select: channelSelect });
  return channel && !channel.disabled ? toChannelRow(channel) : null;
}

/** As findChannelBySlug, for route handlers: a missing channel is a 404. */
export async function getChannelBySlugOrThrow(db: Db, slug: string): Promise<ChannelRow> {
  const row = await findChannelBySlug(db, slug);
  if (!row) throw new AppError('not_found', 'No such channel.');
  return row;
}
