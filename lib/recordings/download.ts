// download.mp4 (CONTRACT-15 item 6): made on first request with ffmpeg stream copy into the
// broadcast's folder (counted in its size), then served by the media server / nginx through the
// signed URL layout, with Range. One ffmpeg per broadcast at a time; later requests wait for it.
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db';
import { concatToMp4 } from './ffmpeg';
import { folderSize } from './folder-size';
import { DOWNLOAD_FILE, folderOf, type RecordingRef } from './layout';

const making = new Map<string, Promise<void>>();

export async function ensureDownload(db: Db, recordDir: string, broadcastId: string, ref: RecordingRef): Promise<void> {
  const folder = join(recordDir, folderOf(ref));
  const file = join(folder, DOWNLOAD_FILE);
  if (await exists(file)) return;
  const running = making.get(broadcastId);
  if (running) return running;
  const job = (async () => {
    // A dot name is no servable file, so a half-written MP4 is never handed out.
    const partial = join(folder, `.download.${process.pid}.tmp`);
    try {
      await concatToMp4(folder, partial);
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
    await db.broadcast.updateMany({ where: { id: broadcastId }, data: { sizeBytes: BigInt(await folderSize(folder)) } });
  })().finally(() => making.delete(broadcastId));
  making.set(broadcastId, job);
  return job;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
