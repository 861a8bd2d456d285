'use client';

import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessageView } from '@/lib/live/types';
import { sendChatMessage, type ChatRefusal } from './chat-api';
import styles from './chat.module.css';

interface Props {
  slug: string;
  /** From the room; null until the stream said. */
  maxLength: number | null;
  disabled: boolean;
  /** The element that shows refusals, for aria-describedby. */
  alertId: string;
  /** A send starts: the last refusal no longer applies. */
  onSending: () => void;
  onSent: (message: ChatMessageView) => void;
  onRefused: (refusal: ChatRefusal) => void;
}

/** Shows "12 left" once a message gets this close to the limit. */
const COUNTER_FROM_REMAINING = 50;

/** The text box and Send button. Enter sends; messages are one line (the server folds line breaks). */
export function ChatComposer({ slug, maxLength, disabled, alertId, onSending, onSent, onRefused }: Props) {
  const inputId = useId();
  const [text, setText] = useState('');
  const sending = useRef(false);

  const send = async () => {
    const trimmed = text.trim();
    if (trimmed === '' || sending.current || disabled) return;
    sending.current = true;
    onSending();
    try {
      const outcome = await sendChatMessage(slug, trimmed);
      if (outcome.ok) {
        setText('');
        onSent(outcome.value);
      } else {
        // The text stays, so a message that was too long can be shortened instead of retyped.
        onRefused(outcome);
      }
    } finally {
      sending.current = false;
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME composition (Japanese, Chinese input) is not "send".
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const remaining = maxLength === null ? null : maxLength - Array.from(text).length;
  return (
    <form className={styles.composer} onSubmit={onSubmit}>
      <label htmlFor={inputId} className={styles.visuallyHidden}>
        Chat message
      </label>
      <textarea
        id={inputId}
        className={`input ${styles.input}`}
        rows={2}
        placeholder="Send a message"
        value={text}
        disabled={disabled}
        aria-describedby={alertId}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className={styles.sendRow}>
        {remaining !== null && remaining <= COUNTER_FROM_REMAINING ? (
          <span className={styles.counter} data-over={remaining < 0 || undefined}>
            {remaining < 0 ? `${-remaining} too many` : `${remaining} left`}
          </span>
        ) : null}
        <button type="submit" className="button button-small" disabled={disabled}>
          Send
        </button>
      </div>
    </form>
  );
}
