'use client';

import { useState } from 'react';
import { ChatPanel, type ChatViewer } from '@/app/_components/chat/chat-panel';
import { useChatRoom } from '@/app/_components/chat/use-chat-room';
import { LiveBadge } from '@/app/_components/live/live-badge';
import { useLiveEvents } from '@/app/_components/live/use-live-events';
import styles from './chat-popout.module.css';

interface Props {
  slug: string;
  streamer: string;
  initialLive: boolean;
  viewer: ChatViewer;
}

export function ChatPopout({ slug, streamer, initialLive, viewer }: Props) {
  const chat = useChatRoom();
  const [live, setLive] = useState(initialLive);
  useLiveEvents(`/api/channels/${slug}/chat/events`, { ...chat.handlers, status: (status) => setLive(status.isLive) });

  return (
    <main className={styles.root}>
      <div className={styles.bar}>
        <a href={`/${slug}`} target="_blank" rel="noopener" className={styles.channel}>
          {streamer}
        </a>
        <LiveBadge live={live} />
      </div>
      <ChatPanel slug={slug} viewer={viewer} room={chat} returnTo={`/${slug}/chat`} className={styles.panel} />
    </main>
  );
}
