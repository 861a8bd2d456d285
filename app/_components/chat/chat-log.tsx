'use client';

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ChatMessageView } from '@/lib/live/types';
import styles from './chat.module.css';

/** How close to the end (px) still counts as "at the bottom": sub-pixel rounding and a last line half in view. */
const STICK_DISTANCE_PX = 32;

interface Props {
  messages: readonly ChatMessageView[];
  loaded: boolean;
  renderMessage: (message: ChatMessageView) => ReactNode;
}

/**
 * The scrolling log. It follows new messages while the reader is at the bottom; once they scroll
 * up it stays where they are and offers a "New messages" button instead.
 */
export function ChatLog({ messages, loaded, renderMessage }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const shownLastId = useRef<string | undefined>(undefined);
  const [unseen, setUnseen] = useState(false);

  const toBottom = () => {
    const element = ref.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    stuck.current = true;
    setUnseen(false);
  };

  useLayoutEffect(() => {
    const element = ref.current;
    const lastId = messages.at(-1)?.id;
    const arrived = lastId !== undefined && lastId !== shownLastId.current;
    shownLastId.current = lastId;
    if (!element) return;
    if (stuck.current) element.scrollTop = element.scrollHeight;
    else if (arrived) setUnseen(true);
  }, [messages]);

  // A resized log (window, on-screen keyboard, a wrapped long message) keeps a stuck reader at the end.
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = ref.current;
    if (!element) return;
    stuck.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_DISTANCE_PX;
    if (stuck.current) setUnseen(false);
  };

  return (
    <div className={styles.logFrame}>
      {/* Focusable so keyboard users can scroll it; role log is a polite live region by itself. */}
      <div ref={ref} className={styles.log} role="log" aria-label="Chat" tabIndex={0} onScroll={onScroll}>
        {!loaded ? (
          <p className={styles.placeholder}>Connecting to chat…</p>
        ) : messages.length === 0 ? (
          <p className={styles.placeholder}>No messages yet.</p>
        ) : (
          <ol className={styles.messages}>{messages.map(renderMessage)}</ol>
        )}
      </div>
      {unseen ? (
        <button type="button" className={`button button-small ${styles.jump}`} onClick={toBottom}>
          New messages
        </button>
      ) : null}
    </div>
  );
}
