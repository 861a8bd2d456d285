// /<slug>/videos/<id> — one past broadcast in the VOD player. `?t=90` starts at 90 s.
// Private: only the owner; anyone else gets the same 404 as for a video that does not exist.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { formatDuration } from '@/app/_components/live/format';
import { getDb } from '@/lib/db';
import { findWatchableBroadcast } from '@/lib/recordings/access';
import { PLAYLIST_FILE } from '@/lib/recordings/layout';
import { signedUrlFor } from '@/lib/recordings/watch-urls';
import { getCurrentUser } from '@/lib/session';
import styles from '@/app/_components/broadcasts/broadcasts.module.css';
import { VodPlayer } from './vod-player';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ slug: string; id: string }>;
  searchParams: Promise<{ t?: string | string[] }>;
}

const findBroadcast = cache(async (slug: string, id: string) => findWatchableBroadcast(getDb(), id, await getCurrentUser(), slug));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const broadcast = await findBroadcast(slug, id);
  if (!broadcast) return { title: 'Video not found' };
  return { title: `${broadcast.title} — ${broadcast.channel.streamer}`, robots: broadcast.visibility === 'public' ? undefined : { index: false } };
}

/** `?t=90` -> 90; anything that is not whole seconds inside the video -> 0. */
function startSeconds(t: string | string[] | undefined, durationMs: number): number {
  const value = Array.isArray(t) ? t[0] : t;
  if (value === undefined || !/^[0-9]{1,7}$/.test(value)) return 0;
  const seconds = Number(value);
  return seconds * 1000 < durationMs ? seconds : 0;
}

export default async function VideoPage({ params, searchParams }: Props) {
  const { slug, id } = await params;
  const broadcast = await findBroadcast(slug, id);
  if (!broadcast) notFound();
  const src = await signedUrlFor(broadcast.ref, PLAYLIST_FILE);
  const start = startSeconds((await searchParams).t, broadcast.durationMs);

  return (
    <main className={styles.videoPage}>
      <div className={styles.stage}>
        <VodPlayer src={src} startAt={start} label={`${broadcast.title} (past broadcast)`} />
      </div>
      <section className={styles.videoInfo} aria-labelledby="video-title">
        <h1 id="video-title">{broadcast.title}</h1>
        <p className="muted">
          <a href={`/${broadcast.channel.slug}`}>{broadcast.channel.streamer}</a> ·{' '}
          <time dateTime={broadcast.startedAt.toISOString()}>{broadcast.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time> ·{' '}
          {formatDuration(broadcast.durationMs)}
          {broadcast.visibility !== 'public' && <> · {broadcast.visibility}</>}
        </p>
        <p>
          <a className="button" href={`/${broadcast.channel.slug}/videos/${broadcast.id}/download`} rel="nofollow">
            Download MP4
          </a>
        </p>
      </section>
    </main>
  );
}
