// Deleting a broadcast removes its files at once (the issue: "delete removes the files").
// The row goes first: a failure to remove files then leaves an orphan folder, never a listed
// video whose files are gone.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db';
import { parseFolder, folderOf } from './layout';

export async function deleteBroadcastFiles(recordDir: string, folder: string): Promise<void> {
  const ref = parseFolder(folder);
  // Only a folder of our own layout is ever removed (a corrupt row must not name `..`).
  if (!ref) throw new Error('not a recording folder');
  await rm(join(recordDir, folderOf(ref)), { recursive: true, force: true });
}

/** Deletes the row and its folder; false when there was no such row. */
export async function deleteBroadcast(db: Db, recordDir: string | undefined, id: string): Promise<boolean> {
  const row = await db.broadcast.findUnique({ where: { id }, select: { folder: true } });
  if (!row) return false;
  const deleted = await db.broadcast.deleteMany({ where: { id } });
  if (recordDir) await deleteBroadcastFiles(recordDir, row.folder);
  return deleted.count > 0;
}
