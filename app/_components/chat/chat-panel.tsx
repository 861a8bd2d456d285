'use client';

import Link from 'next/link';
import { useCallback, useEffect, useId, useMemo, useState, type MouseEvent } from 'react';
import type { ChatViewer as ServerChatViewer } from '@/lib/chat/viewer';
import type { ChatMessageView, ChatRoomState } from '@/lib/live/types';
import type { ChatOutcome, ChatRefusal } from './chat-api';
import { ChatComposer } from './chat-composer';
import { ChatLog } from './chat-log';
import { ChatMessage, type ModerationContext } from './chat-message';
import styles from './chat.module.css';
import type { ChatRoom } from './use-chat-room';

/** What the server page knows about the reader (lib/chat/viewer.ts chatViewerOf), plus their id. */
export interface ChatViewer extends ServerChatViewer {
  readonly userId: string | null;
}

interface Props {
  slug: string;
  viewer: ChatViewer;
  room: ChatRoom;
  /** The path "Sign in to chat" comes back to. */
  returnTo: string;
  /** The channel page links to the pop-out; the pop-out itself does not. */
  popoutHref?: string;
  className?: string;
}

interface Alert {
  readonly text: string;
  /** When a rate-limit or slow-mode refusal expires (ms epoch); the server's sentence says how long, it goes away then. */
  readonly retryAt: number | null;
}

export function ChatPanel({ slug, viewer, room, returnTo, popoutHref, className }: Props) {
  const headingId = useId();
  const alertId = useId();
  const { log, addOwn, remove } = room;
  const [alert, setAlert] = useState<Alert | null>(null);
  const [status, setStatus] = useState('');
  const timeoutUntil = viewer.sanction?.kind === 'timeout' ? viewer.sanction.until : null;
  const timeoutOver = usePassed(timeoutUntil);

  const refuse = useCallback((refusal: ChatRefusal) => {
    setStatus('');
    setAlert({ text: refusal.message, retryAt: refusal.retryAfterSeconds === null ? null : Date.now() + refusal.retryAfterSeconds * 1000 });
  }, []);
  const clearAlert = useCallback(() => setAlert(null), []);
  const onSent = useCallback(
    (message: ChatMessageView) => {
      setStatus('');
      addOwn(message);
    },
    [addOwn],
  );
  const report = useCallback(
    (outcome: ChatOutcome<void>, done: string) => {
      if (outcome.ok) {
        setAlert(null);
        setStatus(done);
      } else refuse(outcome);
    },
    [refuse],
  );
  const moderation = useMemo<ModerationContext | null>(
    () => (viewer.canModerate ? { slug, selfUserId: viewer.userId, report, removeLocal: remove } : null),
    [viewer.canModerate, viewer.userId, slug, report, remove],
  );
  const renderMessage = useCallback((message: ChatMessageView) => <ChatMessage key={message.id} message={message} moderation={moderation} />, [moderation]);

  // A refusal with a wait goes away by itself when the wait is over.
  useEffect(() => {
    if (!alert || alert.retryAt === null) return;
    const timer = setTimeout(() => setAlert((current) => (current === alert ? null : current)), alert.retryAt - Date.now());
    return () => clearTimeout(timer);
  }, [alert]);

  const timedOutUntil = timeoutOver ? null : timeoutUntil;

  return (
    <section className={`${styles.panel} ${className ?? ''}`} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading}>
          Chat
        </h2>
        {popoutHref ? (
          <a href={popoutHref} target="_blank" rel="noopener" className={styles.popout} onClick={openPopout}>
            Pop out
          </a>
        ) : null}
      </div>
      <ChatLog messages={log.messages} loaded={log.loaded} renderMessage={renderMessage} />
      <div className={styles.footer}>
        <p className={styles.status} role="status">
          {status}
        </p>
        <p className={styles.alert} role="alert" id={alertId}>
          {alert?.text}
        </p>
        <RoomNotice room={log.room} />
        {!viewer.signedIn ? (
          log.room?.open === false ? null : (
            <p className={styles.notice}>
              <Link href={`/login?callbackUrl=${encodeURIComponent(returnTo)}`} className="button button-small">
                Sign in to chat
              </Link>
            </p>
          )
        ) : viewer.sanction?.kind === 'ban' ? (
          <p className={styles.notice}>You are banned from this chat.</p>
        ) : log.room?.open === false ? null : (
          <>
            {timedOutUntil ? (
              <p className={styles.notice}>
                You are timed out until{' '}
                {/* In the reader's time zone, which the server cannot know. */}
                <time dateTime={timedOutUntil} suppressHydrationWarning>
                  {new Date(timedOutUntil).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
                </time>
                .
              </p>
            ) : null}
            <ChatComposer
              slug={slug}
              maxLength={log.room?.maxLength ?? null}
              disabled={timedOutUntil !== null}
              alertId={alertId}
              onSending={clearAlert}
              onSent={onSent}
              onRefused={refuse}
            />
          </>
        )}
      </div>
    </section>
  );
}

function RoomNotice({ room }: { room: ChatRoomState | null }) {
  if (!room) return null;
  if (!room.open) {
    const text = room.mode === 'off' ? 'Chat is turned off.' : room.mode === 'live' ? 'Chat opens when the stream goes live.' : 'Chat is closed.';
    return <p className={styles.notice}>{text}</p>;
  }
  if (room.slowModeSeconds > 0) {
    return <p className={styles.notice}>Slow mode: one message every {room.slowModeSeconds} s.</p>;
  }
  return null;
}

/** The pop-out in a small window of its own where the browser allows; the link works without it. */
function openPopout(event: MouseEvent<HTMLAnchorElement>) {
  // Ctrl/Cmd/Shift-click: the reader asked for a tab or window their way.
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
  const opened = window.open(event.currentTarget.href, `onair-chat`, 'popup,width=420,height=720');
  if (opened) event.preventDefault();
}

/** Whether the ISO time `until` has passed; false on the server and in the first render, like the server's HTML. */
function usePassed(until: string | null): boolean {
  const [passed, setPassed] = useState(false);
  useEffect(() => {
    if (until === null) return;
    const wait = Date.parse(until) - Date.now();
    setPassed(wait <= 0);
    if (wait <= 0) return;
    // At most a week (the longest time-out), well inside setTimeout's range.
    const timer = setTimeout(() => setPassed(true), wait);
    return () => clearTimeout(timer);
  }, [until]);
  return passed;
}
