// /<slug>/chat — the channel's chat alone, filling the window: for an OBS browser dock or a second
// screen. proxy.ts marks the request so the root layout renders no site header. Its event stream
// (/api/channels/<slug>/chat/events) carries the chat and the live status and counts as no viewer.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { findChannelBySlug } from '@/lib/channels/get-channel-by-slug';
import { getDb } from '@/lib/db';
import { toChannelStatus } from '@/lib/live/live-hub';
import { chatViewerFor } from '../chat-viewer-data';
import { ChatPopout } from './chat-popout';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string }>;
}

const findChannel = cache((slug: string) => findChannelBySlug(getDb(), slug));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const row = await findChannel((await params).slug);
  return { title: row ? `Chat — ${row.streamer}` : 'Channel not found', robots: { index: false } };
}

export default async function ChatPopoutPage({ params }: Props) {
  const row = await findChannel((await params).slug);
  if (!row) notFound();
  return <ChatPopout slug={row.slug} streamer={row.streamer} initialLive={toChannelStatus(row).isLive} viewer={await chatViewerFor(row.id)} />;
}
