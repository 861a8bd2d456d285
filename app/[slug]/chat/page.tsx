// /<slug>/chat — the channel's chat alone, filling the window: for an OBS browser dock or a second
// screen. proxy.ts marks the request so the root layout renders no site header. Its event stream
// (/api/channels/<slug>/chat/events) carries the chat and the live status and counts as no viewer.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { toChannelStatus } from '@/lib/live/live-hub';
import { chatViewerFor } from '../chat-viewer-data';
import { ChatPopout } from './chat-popout';
import { findChannelForRequest } from '../find-channel';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
}


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const row = await findChannelForRequest((await params).slug);
  return { title: row ? `Chat — ${row.streamer}` : 'Channel not found', robots: { index: false } };
}

export default async function ChatPopoutPage({ params }: Props) {
  const row = await findChannelForRequest((await params).slug);
  if (!row) notFound();
  return <ChatPopout slug={row.slug} streamer={row.streamer} initialLive={toChannelStatus(row).isLive} viewer={await chatViewerFor(row.id)} />;
}
