// GET /api/thumbnails/<slug> — a recent frame of a live channel (JPEG), or the generated
// placeholder (SVG) when there is none yet, ffmpeg is missing, or the channel is offline.
// Never waits for ffmpeg: a due refresh is started in the background for the next request.
import { getChannelBySlugOrThrow } from '@/lib/channels/get-channel-by-slug';
import { getDb } from '@/lib/db';
import { placeholderSvg } from '@/lib/live/placeholder';
import { getLiveRuntime } from '@/lib/live/runtime';
import { withErrorResponse } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const GET = withErrorResponse(async (_request: Request, context: { params: Promise<{ slug: string }> }) => {
  const row = await getChannelBySlugOrThrow(getDb(), (await context.params).slug);
  const { slug } = row;
  if (row.isLive) {
    const { thumbnails, serverPlaylistUrl } = getLiveRuntime();
    void thumbnails.refresh(slug, serverPlaylistUrl(slug));
    const frame = await thumbnails.read(slug);
    if (frame) {
      return new Response(new Uint8Array(frame.jpeg), {
        headers: {
          'Content-Type': 'image/jpeg',
          'Cache-Control': 'public, max-age=10',
          'Last-Modified': frame.updatedAt.toUTCString(),
        },
      });
    }
  }
  return new Response(placeholderSvg({ slug, title: row.title, live: row.isLive }), {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      // Not cached: the first real frame must replace the placeholder as soon as it exists.
      'Cache-Control': 'no-cache',
      // The SVG is ours, but never let an image URL run script if opened directly.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
});
