'use client';

// The directory's live part: cards for channels on air (newest first) and recently live ones,
// kept current by the directory event stream.
import Link from 'next/link';
import { useState } from 'react';
import type { ChannelSummary, DirectorySnapshot } from '@/lib/live/types';
import styles from './directory.module.css';
import { LiveBadge } from './live-badge';
import { LiveTimer } from './live-timer';
import { RelativeTime } from './relative-time';
import { useLiveEvents } from './use-live-events';
import { useNow } from './use-now';
import { ViewerCount } from './viewer-count';

/** Thumbnails are refreshed about every 30 s; the URL changes with them so caches follow. */
const THUMBNAIL_PERIOD_MS = 30_000;

export function LiveDirectory({ initial, renderedAt }: { initial: DirectorySnapshot; renderedAt: number }) {
  const [snapshot, setSnapshot] = useState(initial);
  useLiveEvents('/api/channels/events', { directory: setSnapshot }, { pauseWhenHidden: true });
  const now = useNow(renderedAt, THUMBNAIL_PERIOD_MS);
  const version = Math.floor(now / THUMBNAIL_PERIOD_MS);

  return (
    <>
      <section aria-labelledby="live-now" className={styles.section}>
        <h1 id="live-now" className={styles.heading}>
          Live now
          {snapshot.live.length > 0 && <span className={styles.count}>{snapshot.live.length}</span>}
        </h1>
        {snapshot.live.length === 0 ? (
          <EmptyState />
        ) : (
          <ul className={styles.grid} data-testid="live-channels">
            {snapshot.live.map((channel) => (
              <li key={channel.slug}>
                <LiveCard channel={channel} version={version} renderedAt={renderedAt} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {snapshot.recent.length > 0 && (
        <section aria-labelledby="recently-live" className={styles.section}>
          <h2 id="recently-live" className={styles.subheading}>
            Recently live
          </h2>
          <ul className={styles.recent} data-testid="recent-channels">
            {snapshot.recent.map((channel) => (
              <li key={channel.slug}>
                <RecentCard channel={channel} renderedAt={renderedAt} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function LiveCard({ channel, version, renderedAt }: { channel: ChannelSummary; version: number; renderedAt: number }) {
  return (
    <Link href={`/${channel.slug}`} className={styles.card} data-channel={channel.slug}>
      <div className={styles.thumb}>
        {/* The server already sizes thumbnails (640 px) and they change every 30 s: nothing for next/image to add. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={`/api/thumbnails/${channel.slug}?v=${version}`} alt="" width={640} height={360} loading="lazy" decoding="async" />
        <span className={styles.badgeSlot}>
          <LiveBadge />
        </span>
        <span className={styles.overlayLeft}>
          <ViewerCount count={channel.viewers} />
        </span>
        {channel.liveSince && (
          <span className={styles.overlayRight}>
            <LiveTimer since={channel.liveSince} renderedAt={renderedAt} />
          </span>
        )}
      </div>
      <div className={styles.caption}>
        <span className={styles.avatar} aria-hidden="true">
          {initialOf(channel.streamer)}
        </span>
        <span className={styles.text}>
          <span className={styles.title}>{channel.title}</span>
          <span className={styles.streamer}>{channel.streamer}</span>
          {channel.category && <span className={styles.category}>{channel.category}</span>}
        </span>
      </div>
    </Link>
  );
}

function RecentCard({ channel, renderedAt }: { channel: ChannelSummary; renderedAt: number }) {
  return (
    <Link href={`/${channel.slug}`} className={styles.recentCard} data-channel={channel.slug}>
      <span className={styles.avatar} aria-hidden="true">
        {initialOf(channel.streamer)}
      </span>
      <span className={styles.text}>
        <span className={styles.title}>{channel.title}</span>
        <span className={styles.streamer}>
          {channel.streamer}
          {channel.lastLiveAt && (
            <>
              {' · '}
              <RelativeTime date={channel.lastLiveAt} renderedAt={renderedAt} />
            </>
          )}
        </span>
      </span>
    </Link>
  );
}

function EmptyState() {
  return (
    <div className={styles.empty} role="status">
      <svg viewBox="0 0 64 64" aria-hidden="true" className={styles.emptyIcon} fill="none" stroke="currentColor" strokeWidth="2.5">
        <circle cx="32" cy="32" r="6" />
        <path d="M20 20a17 17 0 0 0 0 24M44 20a17 17 0 0 1 0 24M12 12a28 28 0 0 0 0 40M52 12a28 28 0 0 1 0 40" strokeLinecap="round" />
      </svg>
      <p className={styles.emptyTitle}>Nobody is live right now</p>
      <p className={styles.emptyText}>
        Channels show up here the moment they go live. Streaming yourself? Point OBS at your{' '}
        <Link href="/dashboard">dashboard</Link>&apos;s server and stream key.
      </p>
    </div>
  );
}

function initialOf(name: string): string {
  return (Array.from(name)[0] ?? '?').toUpperCase();
}
