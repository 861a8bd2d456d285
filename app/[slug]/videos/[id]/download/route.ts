// GET /<slug>/videos/<id>/download: the same access rule as the video page, then download.mp4 is made
// on first request (ffmpeg stream copy) and the browser is sent to its signed URL, where the media
// server / nginx serve it with Range. The web app never streams the file itself.
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { findWatchableBroadcast } from '@/lib/recordings/access';
import { ensureDownload } from '@/lib/recordings/download';
import { DOWNLOAD_FILE } from '@/lib/recordings/layout';
import { signedUrlFor } from '@/lib/recordings/watch-urls';
import { withErrorResponse } from '@/lib/route-handler';
import { getCurrentUser } from '@/lib/session';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse(async (_request: Request, { params }: { params: Promise<{ slug: string; id: string }> }) => {
  const { slug, id } = await params;
  const broadcast = await findWatchableBroadcast(getDb(), id, await getCurrentUser(), slug);
  if (!broadcast) throw new AppError('not_found', 'No such video.');
  const recordDir = getEnv().RECORD_DIR;
  if (!recordDir) throw new AppError('service_unavailable', 'Recordings are off on this server.');
  await ensureDownload(getDb(), recordDir, broadcast.id, broadcast.ref);
  return new Response(null, { status: 302, headers: { Location: await signedUrlFor(broadcast.ref, DOWNLOAD_FILE), 'Cache-Control': 'private, no-store' } });
});
