// /<slug> — a channel's watch page. The server renders the current state; ChannelLive keeps it
// current through the channel's event stream (live, offline, stream ended) without a reload.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { PastBroadcasts } from '@/app/_components/broadcasts/past-broadcasts';
import { channelMetadata } from '@/lib/channels/channel-metadata';
import { shareEnv, shareLinks } from '@/lib/channels/share-links';
import { getEnv } from '@/lib/env';
import { hlsPlaylistUrl } from '@/lib/hls-url';
import { toChannelStatus } from '@/lib/live/live-hub';
import { getLiveRuntime } from '@/lib/live/runtime';
import { requestOrigin } from '@/lib/request-origin';
import { ChannelLive } from './channel-live';
import { chatViewerFor } from './chat-viewer-data';
import { pastBroadcastsOf } from './past-broadcasts-data';
import { ShareControl } from './share-control';
import { findChannelForRequest } from './find-channel';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ page?: string | string[] }>;
}


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const row = await findChannelForRequest((await params).slug);
  if (!row) return { title: 'Channel not found' };
  return channelMetadata(row, shareLinks(shareEnv(), requestOrigin(await headers()), row));
}

export default async function ChannelPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const row = await findChannelForRequest(slug);
  if (!row) notFound();

  const env = getEnv();
  const requestHeaders = await headers();
  const requestHost = requestOrigin(requestHeaders).host;
  const playlistUrl = hlsPlaylistUrl({
    publicHlsUrl: env.PUBLIC_HLS_URL,
    requestHost,
    slug: row.slug,
    mediaServer: env.MEDIA_SERVER,
    defaultServer: { port: env.MEDIA_HTTP_PORT, app: env.RTMP_APP },
  });

  const past = await pastBroadcastsOf(row.id, (await searchParams).page);
  const chatViewer = await chatViewerFor(row.id);

  return (
    <>
      <ChannelLive
        slug={row.slug}
        streamer={row.streamer}
        playlistUrl={playlistUrl}
        initialStatus={toChannelStatus(row)}
        initialViewers={getLiveRuntime().hub.viewers(row.id)}
        renderedAt={Date.now()}
        share={<ShareControl links={shareLinks(shareEnv(), requestOrigin(requestHeaders), row)} />}
        chatViewer={chatViewer}
      />
      <PastBroadcasts slug={row.slug} {...past} />
    </>
  );
}
