// /<slug>/embed — the channel's player alone, for other sites' iframes. proxy.ts sets the
// frame-ancestors the streamer chose and marks the request so the root layout renders no site
// header: this route reads no session and sets no cookie.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { siteUrlOf } from '@/lib/channels/share-links';
import { getEnv } from '@/lib/env';
import { hlsPlaylistUrl } from '@/lib/hls-url';
import { toChannelStatus } from '@/lib/live/live-hub';
import { requestOrigin } from '@/lib/request-origin';
import { EmbedPlayer } from './embed-player';
import { findChannelForRequest } from '../find-channel';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
}


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const row = await findChannelForRequest((await params).slug);
  return { title: row ? `${row.title} — ${row.streamer}` : 'Channel not found', robots: { index: false } };
}

export default async function EmbedPage({ params }: Props) {
  const row = await findChannelForRequest((await params).slug);
  if (!row) notFound();

  const env = getEnv();
  const origin = requestOrigin(await headers());
  const playlistUrl = hlsPlaylistUrl({
    publicHlsUrl: env.PUBLIC_HLS_URL,
    requestHost: origin.host,
    slug: row.slug,
    mediaServer: env.MEDIA_SERVER,
    defaultServer: { port: env.MEDIA_HTTP_PORT, app: env.RTMP_APP },
  });

  return (
    <EmbedPlayer
      slug={row.slug}
      streamer={row.streamer}
      playlistUrl={playlistUrl}
      pageUrl={`${siteUrlOf(env, origin)}/${row.slug}`}
      initialStatus={toChannelStatus(row)}
    />
  );
}
