// The streamer's own broadcasts (dashboard): list, rename, visibility, delete, recording settings.
// Ownership is part of every query: a broadcast of another channel is "not found".
import type { Db } from '../db';
import { AppError } from '../errors';
import type { Visibility } from './access';
import { deleteBroadcast } from './delete-broadcast';

export interface OwnBroadcast {
  id: string;
  title: string;
  startedAt: Date;
  durationMs: number;
  sizeBytes: number;
  visibility: string;
}

const ownWhere = (userId: string, id: string) => ({ id, channel: { userId } });

export async function listOwnBroadcasts(db: Db, userId: string, take = 100): Promise<OwnBroadcast[]> {
  const rows = await db.broadcast.findMany({
    where: { channel: { userId } },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take,
    select: { id: true, title: true, startedAt: true, durationMs: true, sizeBytes: true, visibility: true },
  });
  return rows.map((row) => ({ ...row, sizeBytes: Number(row.sizeBytes) }));
}

export async function updateOwnBroadcast(db: Db, userId: string, id: string, data: { title?: string; visibility?: Visibility }): Promise<void> {
  const { count } = await db.broadcast.updateMany({ where: ownWhere(userId, id), data });
  if (count === 0) throw new AppError('not_found', 'No such broadcast.');
}

export async function deleteOwnBroadcast(db: Db, userId: string, recordDir: string | undefined, id: string): Promise<void> {
  const own = await db.broadcast.findFirst({ where: ownWhere(userId, id), select: { id: true } });
  if (!own || !(await deleteBroadcast(db, recordDir, own.id))) throw new AppError('not_found', 'No such broadcast.');
}

export interface RecordingSettings {
  recordBroadcasts: boolean;
  recordingsMaxAgeDays: number | null;
  recordingsMaxGb: number | null;
}

export async function updateRecordingSettings(db: Db, userId: string, settings: RecordingSettings): Promise<void> {
  await db.channel.update({ where: { userId }, data: settings });
}
