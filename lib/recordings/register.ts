// Registers a finished recording folder as a Broadcast (CONTRACT-15 item 3): duration from the
// EXTINF sum, size from the folder, the channel's title now, a thumbnail. Idempotent: the folder
// is unique, so the same recording announced twice (a retry, a re-announcement at start-up) is
// one row, and a second announcement keeps what the streamer changed since.
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { Broadcast, Db } from '../db';
import { errorMessage, type Logger } from '../logger';
import { grabFrame } from './ffmpeg';
import { folderSize } from './folder-size';
import { folderOf, PLAYLIST_FILE, THUMBNAIL_FILE, type RecordingRef } from './layout';
import { finishPlaylist, MAX_PLAYLIST_BYTES, parseRecordedPlaylist } from './playlist';

export interface RegisterDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export type RegisterResult =
  | { outcome: 'registered' | 'already-registered'; broadcast: Broadcast }
  | { outcome: 'dropped'; reason: 'unknown-channel' | 'recording-off' | 'disk-low' };

/**
 * `absFolder` is the recording's folder (already checked to be `<RECORD_DIR>/<folderOf(ref)>`).
 * `startedAt` when the caller knows it (nginx-rtmp's record_unique time); else the first
 * segment's file time minus its duration.
 */
export async function registerRecording(deps: RegisterDeps, ref: RecordingRef, absFolder: string, startedAt?: Date): Promise<RegisterResult> {
  const folder = folderOf(ref);
  const existing = await deps.db.broadcast.findUnique({ where: { folder } });
  if (existing) return { outcome: 'already-registered', broadcast: existing };

  const channel = await deps.db.channel.findUnique({ where: { slug: ref.name }, select: { id: true, title: true, recordBroadcasts: true } });
  if (!channel || !channel.recordBroadcasts) {
    // Deliberately dropped: nobody may watch it, so it must not take disk space either.
    await rm(absFolder, { recursive: true, force: true });
    return { outcome: 'dropped', reason: channel ? 'recording-off' : 'unknown-channel' };
  }

  const playlistFile = join(absFolder, PLAYLIST_FILE);
  const info = await stat(playlistFile);
  if (info.size > MAX_PLAYLIST_BYTES) throw new Error('playlist too large');
  let text = await readFile(playlistFile, 'utf8');
  let playlist = parseRecordedPlaylist(text);
  if (!playlist.ended) {
    // Recovered after a crash: the recorder could not finish it, so it is finished here.
    text = finishPlaylist(text);
    playlist = parseRecordedPlaylist(text);
    const partial = join(absFolder, `.${PLAYLIST_FILE}.${process.pid}.tmp`);
    await writeFile(partial, text);
    await rename(partial, playlistFile);
  }

  const start = startedAt ?? (await firstSegmentStart(absFolder, playlist.segments[0], playlist.segmentStartsMs[1] ?? playlist.durationMs, deps.clock));
  const thumbnail = await makeThumbnail(deps, absFolder, playlist.durationMs);
  const sizeBytes = BigInt(await folderSize(absFolder));
  try {
    const broadcast = await deps.db.broadcast.create({
      data: { channelId: channel.id, folder, title: channel.title, startedAt: start, durationMs: playlist.durationMs, sizeBytes, thumbnail },
    });
    deps.logger.info('broadcast_registered', { slug: ref.name, broadcastId: broadcast.id, durationMs: playlist.durationMs });
    return { outcome: 'registered', broadcast };
  } catch (error) {
    // Two announcements raced: the other one created the row.
    const raced = await deps.db.broadcast.findUnique({ where: { folder } });
    if (raced) return { outcome: 'already-registered', broadcast: raced };
    throw error;
  }
}

async function firstSegmentStart(absFolder: string, firstSegment: string | undefined, firstDurationMs: number, clock: Clock): Promise<Date> {
  try {
    const info = await stat(join(absFolder, firstSegment ?? PLAYLIST_FILE));
    return new Date(info.mtimeMs - firstDurationMs);
  } catch {
    return new Date(clock.now());
  }
}

async function makeThumbnail(deps: RegisterDeps, absFolder: string, durationMs: number): Promise<string | null> {
  const out = join(absFolder, THUMBNAIL_FILE);
  try {
    await grabFrame(absFolder, Math.min(5, durationMs / 2000), out);
    // ffmpeg can exit 0 having written nothing (a seek past every frame).
    return (await stat(out)).size > 0 ? THUMBNAIL_FILE : null;
  } catch (error) {
    deps.logger.warn('broadcast_thumbnail_failed', { error: errorMessage(error) });
    await rm(out, { force: true });
    return null;
  }
}
