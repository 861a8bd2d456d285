// Who may watch a past broadcast, and the signed URLs handed to them (CONTRACT-15 item 5).
//   public:   listed on the channel page, anyone may watch
//   unlisted: not listed for others; anyone with the video link (/<slug>/videos/<id>) may watch
//   private:  only the channel's owner; everyone else gets a 404
import type { Db } from '../db';
import { resolveHlsBase, type DefaultHlsServer } from '../hls-url';
import { isSlug } from '../live/slug';
import { parseFolder, PLAYLIST_FILE, type RecordingRef } from './layout';
import { recordingPath, signToken } from './signed-url';

export const VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** Signed URLs last long enough to watch a long broadcast in one sitting. */
export const TOKEN_TTL_SECONDS = 6 * 3600;
export const BROADCASTS_PAGE_SIZE = 12;
const ID_PATTERN = /^[a-z0-9]{8,40}$/;

export interface Viewer {
  id: string;
}

export interface WatchableBroadcast {
  id: string;
  title: string;
  startedAt: Date;
  durationMs: number;
  sizeBytes: number;
  visibility: Visibility;
  thumbnail: string | null;
  ref: RecordingRef;
  folder: string;
  channel: { slug: string; title: string; ownerId: string; streamer: string };
  isOwner: boolean;
}

export function isVisibility(value: unknown): value is Visibility {
  return typeof value === 'string' && (VISIBILITIES as readonly string[]).includes(value);
}

const SELECT = {
  id: true,
  title: true,
  startedAt: true,
  durationMs: true,
  sizeBytes: true,
  visibility: true,
  thumbnail: true,
  folder: true,
  state: true,
  channel: { select: { slug: true, title: true, userId: true, disabled: true, user: { select: { username: true, displayName: true } } } },
} as const;

/** The broadcast when `viewer` may watch it through its link; null (a 404) otherwise. */
export async function findWatchableBroadcast(db: Db, id: string, viewer: Viewer | null, slug?: string): Promise<WatchableBroadcast | null> {
  if (!ID_PATTERN.test(id) || (slug !== undefined && !isSlug(slug))) return null;
  const row = await db.broadcast.findUnique({ where: { id }, select: SELECT });
  if (!row || row.state !== 'ready' || row.channel.disabled || (slug !== undefined && row.channel.slug !== slug)) return null;
  const ref = parseFolder(row.folder);
  const visibility = isVisibility(row.visibility) ? row.visibility : 'private';
  const isOwner = viewer?.id === row.channel.userId;
  if (!ref || (visibility === 'private' && !isOwner)) return null;
  return {
    id: row.id,
    title: row.title,
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    sizeBytes: Number(row.sizeBytes),
    visibility,
    thumbnail: row.thumbnail,
    ref,
    folder: row.folder,
    channel: { slug: row.channel.slug, title: row.channel.title, ownerId: row.channel.userId, streamer: row.channel.user.displayName ?? row.channel.user.username },
    isOwner,
  };
}

export interface BroadcastListItem {
  id: string;
  title: string;
  startedAt: Date;
  durationMs: number;
  visibility: Visibility;
  hasThumbnail: boolean;
}

/** A channel's past broadcasts, newest first: all of them for the owner, public ones for others. */
export async function listChannelBroadcasts(
  db: Db,
  channel: { id: string; ownerId: string },
  viewer: Viewer | null,
  page: number,
  pageSize = BROADCASTS_PAGE_SIZE,
): Promise<{ items: BroadcastListItem[]; hasMore: boolean }> {
  const isOwner = viewer?.id === channel.ownerId;
  const rows = await db.broadcast.findMany({
    where: { channelId: channel.id, state: 'ready', ...(isOwner ? {} : { visibility: 'public' }) },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    skip: Math.max(0, page) * pageSize,
    take: pageSize + 1,
    select: { id: true, title: true, startedAt: true, durationMs: true, visibility: true, thumbnail: true },
  });
  return {
    items: rows.slice(0, pageSize).map((row) => ({
      id: row.id,
      title: row.title,
      startedAt: row.startedAt,
      durationMs: row.durationMs,
      visibility: isVisibility(row.visibility) ? row.visibility : 'private',
      hasThumbnail: row.thumbnail !== null,
    })),
    hasMore: rows.length > pageSize,
  };
}

export interface RecordingsUrlConfig {
  publicRecordingsUrl: string | undefined;
  publicHlsUrl: string | undefined;
  requestHost: string | null;
  defaultServer: DefaultHlsServer;
}

/** What `/recordings/...` is appended to: PUBLIC_RECORDINGS_URL, else the HLS server's origin (the media server or nginx serves both). */
export function recordingsBase(config: RecordingsUrlConfig): string {
  if (config.publicRecordingsUrl) return config.publicRecordingsUrl.replace(/\/+$/, '');
  return new URL(resolveHlsBase(config.publicHlsUrl, config.requestHost, config.defaultServer)).origin;
}

/** A signed URL for one file of a broadcast, valid TOKEN_TTL_SECONDS from `nowSeconds`. */
export function signedFileUrl(base: string, key: string, ref: RecordingRef, file: string, nowSeconds: number): string {
  const token = signToken(key, nowSeconds + TOKEN_TTL_SECONDS, ref);
  return `${base}${recordingPath(token, ref, file)}`;
}

export function signedPlaylistUrl(base: string, key: string, ref: RecordingRef, nowSeconds: number): string {
  return signedFileUrl(base, key, ref, PLAYLIST_FILE, nowSeconds);
}
