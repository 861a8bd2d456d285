import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getChannelForUserOrThrow } from '@/lib/channels/get-channel-for-user';
import { rtmpServerUrl } from '@/lib/channels/stream-setup';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { listOwnBroadcasts } from '@/lib/recordings/manage';
import { requestOrigin } from '@/lib/request-origin';
import { requireUser } from '@/lib/session';
import { LivePanel } from '@/app/_components/dashboard/live-panel';
import { BroadcastsPanel } from './broadcasts-panel';
import { ChannelSettingsForm } from './channel-settings-form';
import { StreamPanel } from './stream-panel';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const channel = await getChannelForUserOrThrow(getDb(), user.id);
  const env = getEnv();
  const serverUrl = rtmpServerUrl(env.PUBLIC_RTMP_URL, requestOrigin(await headers()).host, { port: env.RTMP_PORT, app: env.RTMP_APP });
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
      />
      <section className="panel" aria-labelledby="channel-settings-heading">
        <h2 id="channel-settings-heading">Channel settings</h2>
        <ChannelSettingsForm title={channel.title} description={channel.description} category={channel.category ?? ''} />
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
