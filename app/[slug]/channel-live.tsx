'use client';

import { useReducer, type ReactNode } from 'react';
import { ChatPanel, type ChatViewer } from '@/app/_components/chat/chat-panel';
import { useChatRoom } from '@/app/_components/chat/use-chat-room';
import { LiveBadge } from '@/app/_components/live/live-badge';
import { LiveTimer } from '@/app/_components/live/live-timer';
import { RelativeTime } from '@/app/_components/live/relative-time';
import { useLiveEvents } from '@/app/_components/live/use-live-events';
import { ViewerCount } from '@/app/_components/live/viewer-count';
import { VideoPlayer } from '@/app/_components/player/video-player';
import type { ChannelStatus } from '@/lib/live/types';
import styles from './channel.module.css';
import { reduceChannelState, type Stage } from './channel-state';

interface Props {
  slug: string;
  streamer: string;
  playlistUrl: string;
  initialStatus: ChannelStatus;
  initialViewers: number;
  renderedAt: number;
  /** The Share control, rendered by the server page. */
  share?: ReactNode;
  /** Who reads the chat beside the player (composer, moderation, sign-in invitation). */
  chatViewer: ChatViewer;
}

export function ChannelLive({ slug, streamer, playlistUrl, initialStatus, initialViewers, renderedAt, share, chatViewer }: Props) {
  const [state, dispatch] = useReducer(reduceChannelState, {
    status: initialStatus,
    viewers: initialViewers,
    stage: initialStatus.isLive ? 'live' : 'offline',
  });
  const chat = useChatRoom();
  // The page's one event stream: the chat's events arrive on it too.
  useLiveEvents(`/api/channels/${slug}/events`, {
    ...chat.handlers,
    status: (status) => dispatch({ type: 'status', status }),
    viewers: ({ viewers }) => dispatch({ type: 'viewers', viewers }),
  });
  const { status, viewers, stage } = state;

  return (
    <main className={styles.page}>
      <div className={styles.layout}>
        <div className={styles.stage} data-stage={stage}>
          {stage === 'live' && status.liveSince ? (
            <VideoPlayer key={status.liveSince} src={playlistUrl} label={`${streamer}'s live stream`} />
          ) : (
            <OfflineSlate stage={stage} streamer={streamer} lastLiveAt={status.lastLiveAt} renderedAt={renderedAt} />
          )}
        </div>

        <section className={styles.info} aria-labelledby="channel-title">
          <div className={styles.headline}>
            <div className={styles.avatar} aria-hidden="true">
              {(Array.from(streamer)[0] ?? '?').toUpperCase()}
            </div>
            <div className={styles.names}>
              <h1 id="channel-title" className={styles.title}>
                {status.title}
              </h1>
              <p className={styles.streamer}>
                {streamer}
                {status.category && <span className={styles.category}>{status.category}</span>}
              </p>
            </div>
          </div>

          <div className={styles.meta}>
            <LiveBadge live={status.isLive} />
            {status.isLive && status.liveSince ? (
              <>
                <ViewerCount count={viewers} />
                <LiveTimer since={status.liveSince} renderedAt={renderedAt} />
              </>
            ) : status.lastLiveAt ? (
              <span className={styles.muted}>
                Last live <RelativeTime date={status.lastLiveAt} renderedAt={renderedAt} />
              </span>
            ) : (
              <span className={styles.muted}>Has not streamed yet</span>
            )}
          </div>

          {status.description && <p className={styles.description}>{status.description}</p>}
          {share}
        </section>

        <ChatPanel slug={slug} viewer={chatViewer} room={chat} returnTo={`/${slug}`} popoutHref={`/${slug}/chat`} className={styles.chat} />
      </div>
    </main>
  );
}

function OfflineSlate({ stage, streamer, lastLiveAt, renderedAt }: { stage: Stage; streamer: string; lastLiveAt: string | null; renderedAt: number }) {
  const ended = stage === 'ended';
  return (
    <div className={styles.slate} role="status">
      <svg className={styles.slateIcon} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
        <rect x="2" y="5" width="15" height="14" rx="2" />
        <path d="m17 10 5-3v10l-5-3" />
        {!ended && <path d="M3 3l18 18" />}
      </svg>
      <p className={styles.slateTitle}>{ended ? 'Stream ended' : `${streamer} is offline`}</p>
      <p className={styles.slateText}>
        {ended ? (
          'Thanks for watching! This page starts playing again by itself when the next stream begins.'
        ) : lastLiveAt ? (
          <>
            Last live <RelativeTime date={lastLiveAt} renderedAt={renderedAt} />. Keep this page open: it starts playing as
            soon as the stream begins.
          </>
        ) : (
          'Keep this page open: it starts playing as soon as the stream begins.'
        )}
      </p>
    </div>
  );
}
