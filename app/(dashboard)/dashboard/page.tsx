import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getChannelForUserOrThrow } from '@/lib/channels/get-channel-for-user';
import { parseChatMode } from '@/lib/chat/room';
import { chatModeratorsOf, chatSanctionsOf } from '@/lib/chat/settings';
import { embedFormValues } from '@/lib/channels/embed-policy';
import { shareEnv, shareLinks } from '@/lib/channels/share-links';
import { rtmpServerUrl } from '@/lib/channels/stream-setup';
import { systemClock } from '@/lib/clock';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listOwnBroadcasts } from '@/lib/recordings/manage';
import { requestOrigin } from '@/lib/request-origin';
import { requireUser } from '@/lib/session';
import { LivePanel } from '@/app/_components/dashboard/live-panel';
import { BroadcastsPanel } from './broadcasts-panel';
import { ChannelSettingsForm } from './channel-settings-form';
import { ChatSettingsForm } from './chat-settings-form';
import { EmbedSettingsForm } from './embed-settings-form';
import { StreamPanel } from './stream-panel';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const channel = await getChannelForUserOrThrow(getDb(), user.id);
  const env = getEnv();
  const origin = requestOrigin(await headers());
  const serverUrl = rtmpServerUrl(env.PUBLIC_RTMP_URL, origin.host, { port: env.RTMP_PORT, app: env.RTMP_APP });
  const links = shareLinks(shareEnv(), origin, { slug: channel.slug, streamer: user.username });
  return (
    <main className="page">
      <h1>Dashboard</h1>
      <p className="muted">
        Your channel: <a href={`/${channel.slug}`}>/{channel.slug}</a> — {channel.isLive ? 'live now' : 'offline'}
      </p>
      <LivePanel slug={channel.slug} />
      <StreamPanel
        slug={channel.slug}
        serverUrl={serverUrl}
        mediaServer={env.MEDIA_SERVER}
        last4={channel.streamKeyLast4}
        keyCreatedAt={channel.streamKeyCreatedAt?.toISOString() ?? null}
        playUrl={links.rtmpPlayUrl}
      />
      <section className="panel" aria-labelledby="channel-settings-heading">
        <h2 id="channel-settings-heading">Channel settings</h2>
        <ChannelSettingsForm title={channel.title} description={channel.description} category={channel.category ?? ''} />
      </section>
      <section className="panel" aria-labelledby="chat-settings-heading">
        <h2 id="chat-settings-heading">Chat</h2>
        <ChatSettingsForm
          mode={parseChatMode(channel.chatMode)}
          slowModeSeconds={channel.chatSlowModeSeconds}
          moderators={(await chatModeratorsOf(getDb(), user.id)).map((m) => m.username)}
          sanctions={(await chatSanctionsOf(getDb(), user.id, new Date(systemClock.now()))).map((s) => ({ username: s.username, until: s.until?.toISOString() ?? null }))}
        />
      </section>
      <section className="panel" aria-labelledby="embed-settings-heading">
        <h2 id="embed-settings-heading">Embedding</h2>
        <EmbedSettingsForm {...embedFormValues(channel.embedAllowedOrigins)} embedUrl={links.embedUrl} />
      </section>
      <BroadcastsPanel
        slug={channel.slug}
        broadcasts={await listOwnBroadcasts(getDb(), user.id)}
        recordBroadcasts={channel.recordBroadcasts}
        recordingsMaxAgeDays={channel.recordingsMaxAgeDays}
        recordingsMaxGb={channel.recordingsMaxGb}
        lowDiskAt={channel.recordingLowDiskAt}
        recordingAvailable={env.RECORD_DIR !== undefined}
      />
    </main>
  );
}
