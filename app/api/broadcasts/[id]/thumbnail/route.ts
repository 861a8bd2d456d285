// GET /api/broadcasts/<id>/thumbnail: a past broadcast's JPEG (a few KB), for whoever may watch it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { findWatchableBroadcast } from '@/lib/recordings/access';
import { folderOf, THUMBNAIL_FILE } from '@/lib/recordings/layout';
import { withErrorResponse } from '@/lib/route-handler';
import { getCurrentUser } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const broadcast = await findWatchableBroadcast(getDb(), id, await getCurrentUser());
  const recordDir = getEnv().RECORD_DIR;
  if (!broadcast || broadcast.thumbnail !== THUMBNAIL_FILE || !recordDir) throw new AppError('not_found', 'No thumbnail.');
  const jpeg = await readFile(join(recordDir, folderOf(broadcast.ref), THUMBNAIL_FILE)).catch(() => null);
  if (!jpeg) throw new AppError('not_found', 'No thumbnail.');
  const cache = broadcast.visibility === 'public' ? 'public, max-age=3600' : 'private, max-age=3600';
  return new Response(new Uint8Array(jpeg), { headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': cache } });
});
