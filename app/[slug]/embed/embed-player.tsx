'use client';
// The embedded player: the live stream or the offline slate, filling its iframe, with the
// channel's name linking to its page (in a new tab: the embedding site stays where it is).
import { useReducer } from 'react';
import { LiveBadge } from '@/app/_components/live/live-badge';
import { useLiveEvents } from '@/app/_components/live/use-live-events';
import { VideoPlayer } from '@/app/_components/player/video-player';
import type { ChannelStatus } from '@/lib/live/types';
import { reduceChannelState } from '../channel-state';
import styles from './embed.module.css';

interface Props {
  slug: string;
  streamer: string;
  playlistUrl: string;
  pageUrl: string;
  initialStatus: ChannelStatus;
}

export function EmbedPlayer({ slug, streamer, playlistUrl, pageUrl, initialStatus }: Props) {
  const [{ status, stage }, dispatch] = useReducer(reduceChannelState, {
    status: initialStatus,
    viewers: 0,
    stage: initialStatus.isLive ? 'live' : 'offline',
  });
  useLiveEvents(`/api/channels/${slug}/events?chat=0`, { status: (next) => dispatch({ type: 'status', status: next }) });

  return (
    <main className={styles.root} data-stage={stage}>
      <div className={styles.stage}>
        {stage === 'live' && status.liveSince ? (
          <VideoPlayer key={status.liveSince} src={playlistUrl} label={`${streamer}'s live stream`} />
        ) : (
          <div className={styles.slate} role="status">
            <p className={styles.slateTitle}>{stage === 'ended' ? 'Stream ended' : `${streamer} is offline`}</p>
            <p className={styles.slateText}>This player starts by itself when the stream begins.</p>
          </div>
        )}
      </div>
      <a className={styles.bar} href={pageUrl} target="_blank" rel="noopener">
        <LiveBadge live={status.isLive} />
        <span className={styles.name}>{streamer}</span>
        <span className={styles.title}>{status.title}</span>
      </a>
    </main>
  );
}
