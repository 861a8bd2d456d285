// At start-up, before any publish: recordings the previous server left behind. A recording whose
// playlist is still EVENT (the server crashed or was killed while live) is finished as it stands
// (VOD + ENDLIST: each complete segment is appended to the playlist after its file is on disk, so it
// lists the segments that reached the disk; a torn last append is dropped) and announced with onair_reason=recovered; a finished one whose
// on_record_done was never answered 2xx (its marker file is still there) is announced again.
// A folder without a playlist recorded no complete segment: it is removed.

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { writeAtomically } from '../hls/segment-files.js';
import { finishEventPlaylistText } from '../hls/playlist.js';
import { readPendingMarker, type RecordDoneFields, type RecordDoneNotifier } from './record-done.js';
import { recordingFiles } from './recording-playlist.js';
import { recordingPatterns } from './signed-path.js';

async function subfolders(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && pattern.test(entry.name) && entry.name !== '.' && entry.name !== '..').map((entry) => entry.name);
  } catch {
    return [];
  }
}

export interface RecoveredRecording {
  readonly folder: string;
  readonly fields: RecordDoneFields;
}

/**
 * Finishes what needs finishing and returns what needs announcing (the caller announces, in the
 * background, so start-up does not wait for the web app). `recordDir` must be absolute.
 */
export async function recoverRecordings(recordDir: string, notifier: RecordDoneNotifier, logger: Logger): Promise<RecoveredRecording[]> {
  const found: RecoveredRecording[] = [];
  for (const app of await subfolders(recordDir, recordingPatterns.app)) {
    for (const name of await subfolders(join(recordDir, app), recordingPatterns.name)) {
      for (const broadcastId of await subfolders(join(recordDir, app, name), recordingPatterns.broadcastId)) {
        const folder = join(recordDir, app, name, broadcastId);
        try {
          const recovered = await recoverOne(folder, { app, name, broadcastId }, notifier, logger);
          if (recovered) found.push(recovered);
        } catch (error) {
          logger.warn('recording not recovered', { app, name, broadcast: broadcastId, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  return found;
}

async function recoverOne(folder: string, ids: { app: string; name: string; broadcastId: string }, notifier: RecordDoneNotifier, logger: Logger): Promise<RecoveredRecording | undefined> {
  const playlistPath = join(folder, recordingFiles.playlist);
  let text: string;
  try {
    text = await readFile(playlistPath, 'utf8');
  } catch {
    const entries = await readdir(folder);
    // Only what a recorder writes before its first segment (an init section, temporary files).
    if (entries.every((entry) => /^init-\d+\.mp4(\.tmp)?$|\.tmp$/.test(entry))) {
      await rm(folder, { recursive: true, force: true });
      logger.info('removed a recording without any segment', { ...ids });
    }
    return undefined;
  }
  const finished = finishEventPlaylistText(text);
  if (finished !== undefined) {
    const fields: RecordDoneFields = { ...ids, path: playlistPath, reason: 'recovered' };
    // The marker first: a crash during recovery still leaves it to be announced.
    await notifier.markPending(folder, fields);
    await writeAtomically(playlistPath, [Buffer.from(finished)], true);
    for (const entry of await readdir(folder)) if (entry.endsWith('.tmp')) await rm(join(folder, entry), { force: true });
    logger.info('recording finalised after a restart', { app: ids.app, name: ids.name, broadcast: ids.broadcastId });
    return { folder, fields };
  }
  const pending = await readPendingMarker(folder);
  if (pending === undefined) return undefined;
  // The marker's own path and names are not trusted beyond what the folder already says.
  return { folder, fields: { ...pending, ...ids, path: playlistPath } };
}

/** Announces recovered recordings one after another (each with its own bounded retries). */
export async function announceRecovered(recovered: readonly RecoveredRecording[], notifier: RecordDoneNotifier): Promise<void> {
  for (const { folder, fields } of recovered) await notifier.announce(folder, fields);
}
