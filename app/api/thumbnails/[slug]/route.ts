// GET /api/thumbnails/<slug> — a recent frame of a live channel (JPEG), or the generated
// placeholder (SVG) when there is none yet, ffmpeg is missing, or the channel is offline.
// Never waits for ffmpeg: a due refresh is started in the background for the next request.
import { getDb } from '@/lib/db';
import { AppError, toResponse } from '@/lib/errors';
import { findChannelRowBySlug } from '@/lib/live/live-data';
import { placeholderSvg } from '@/lib/live/placeholder';
import { getLiveRuntime } from '@/lib/live/runtime';
import { isSlug } from '@/lib/live/slug';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const { slug } = await context.params;
    if (!isSlug(slug)) throw new AppError('not_found', 'No such channel.');
    const row = await findChannelRowBySlug(getDb(), slug);
    if (!row) throw new AppError('not_found', 'No such channel.');
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
  } catch (error) {
    return toResponse(error);
  }
}
