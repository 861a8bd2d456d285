import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isServableFile, THUMBNAIL_FILE } from './layout';

/**
 * Bytes of a broadcast's own files directly in `folder` (a recording has no subfolders): the
 * playlist, init and media segments, download.mp4, the thumbnail. The bundled media server's
 * `record-done.pending` marker (there while on_record_done is being answered) and half-written
 * temporary files are not the broadcast's and would make its size depend on timing.
 */
export async function folderSize(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true });
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile() && (isServableFile(entry.name) || entry.name === THUMBNAIL_FILE)) total += (await stat(join(folder, entry.name))).size;
  }
  return total;
}
