import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes of the regular files directly in `folder` (a recording has no subfolders). */
export async function folderSize(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true });
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(join(folder, entry.name))).size;
  }
  return total;
}
