'use client';

import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ChatBadge, ChatMessageView } from '@/lib/live/types';
import { banChatUser, deleteChatMessage, timeOutChatUser, type ChatOutcome } from './chat-api';
import styles from './chat.module.css';
import { splitLinks } from './message-text';

const BADGES: Readonly<Record<ChatBadge, { label: string; title: string }>> = {
  streamer: { label: 'Streamer', title: 'Streamer' },
  moderator: { label: 'Mod', title: 'Moderator' },
  admin: { label: 'Admin', title: 'Site admin' },
};

/** What a moderator may pick for a time-out (the API takes 1-10080 minutes). */
const TIMEOUT_CHOICES: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 1, label: '1 minute' },
  { minutes: 5, label: '5 minutes' },
  { minutes: 10, label: '10 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10080, label: '1 week' },
];

export interface ModerationContext {
  slug: string;
  /** The moderator's own user id: no time-out or ban buttons on their own messages. */
  selfUserId: string | null;
  /** The outcome of an action, with the sentence to show when it worked. */
  report: (outcome: ChatOutcome<void>, done: string) => void;
  /** Takes a deleted message out of this page's log at once. */
  removeLocal: (id: string) => void;
}

interface Props {
  message: ChatMessageView;
  moderation: ModerationContext | null;
}

function timeOf(iso: string): { short: string; full: string } {
  const date = new Date(iso);
  return { short: date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }), full: date.toLocaleString() };
}

/** One line of the log. The text is only ever React text nodes and http(s) links: no HTML, no embeds. */
export const ChatMessage = memo(function ChatMessage({ message, moderation }: Props) {
  const time = timeOf(message.at);
  return (
    <li className={styles.message} data-message-id={message.id} data-username={message.username}>
      <time className={styles.time} dateTime={message.at} title={time.full}>
        {time.short}
      </time>{' '}
      {message.badges.map((badge) => (
        <span key={badge} className={styles.badge} data-badge={badge} title={BADGES[badge].title}>
          {BADGES[badge].label}
        </span>
      ))}
      <span className={styles.name} title={`@${message.username}`}>
        {message.name}
      </span>
      <span className={styles.colon}>: </span>
      <span className={styles.text} data-chat-text="">
        {splitLinks(message.text).map((part, index) =>
          part.kind === 'link' ? (
            <a key={index} href={part.href} target="_blank" rel="nofollow noopener ugc">
              {part.text}
            </a>
          ) : (
            part.text
          ),
        )}
      </span>
      {moderation ? <ModerationTools message={message} context={moderation} /> : null}
    </li>
  );
});

function ModerationTools({ message, context }: { message: ChatMessageView; context: ModerationContext }) {
  const [open, setOpen] = useState<'timeout' | 'ban' | null>(null);
  const [busy, setBusy] = useState(false);
  const tools = useRef<HTMLDivElement>(null);
  // An opened form at the end of the log would be below its fold.
  useEffect(() => {
    if (open) tools.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  // The owner, moderators and admins cannot be timed out or banned (the API refuses it too).
  const sanctionable = message.userId !== context.selfUserId && message.badges.length === 0;

  const run = async (action: () => Promise<ChatOutcome<void>>, done: string) => {
    if (busy) return;
    setBusy(true);
    const outcome = await action();
    setBusy(false);
    if (outcome.ok) setOpen(null);
    context.report(outcome, done);
    return outcome.ok;
  };

  const onDelete = async () => {
    if (await run(() => deleteChatMessage(context.slug, message.id), 'Message deleted.')) context.removeLocal(message.id);
  };
  const onTimeout = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const minutes = Number(new FormData(event.currentTarget).get('minutes'));
    const choice = TIMEOUT_CHOICES.find((c) => c.minutes === minutes) ?? TIMEOUT_CHOICES[2];
    if (!choice) return;
    void run(() => timeOutChatUser(context.slug, message.userId, choice.minutes), `${message.name} is timed out for ${choice.label}.`);
  };
  const onBan = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const purge = new FormData(event.currentTarget).get('purge') === 'on';
    void run(
      () => banChatUser(context.slug, message.userId, purge),
      purge ? `${message.name} is banned and their messages are deleted.` : `${message.name} is banned.`,
    );
  };
  const toggle = (which: 'timeout' | 'ban') => setOpen((current) => (current === which ? null : which));

  return (
    <div ref={tools} className={styles.tools} data-open={open ?? undefined}>
      <button type="button" className={styles.tool} aria-label="Delete message" title="Delete message" disabled={busy} onClick={onDelete}>
        Delete
      </button>
      {sanctionable ? (
        <>
          <button
            type="button"
            className={styles.tool}
            aria-label={`Time out ${message.name}`}
            aria-expanded={open === 'timeout'}
            onClick={() => toggle('timeout')}
          >
            Time out
          </button>
          <button type="button" className={styles.tool} aria-label={`Ban ${message.name}`} aria-expanded={open === 'ban'} onClick={() => toggle('ban')}>
            Ban
          </button>
        </>
      ) : null}
      {open === 'timeout' ? (
        <form className={styles.toolForm} onSubmit={onTimeout}>
          <label>
            Time out for{' '}
            <select name="minutes" defaultValue="10" className="input">
              {TIMEOUT_CHOICES.map((choice) => (
                <option key={choice.minutes} value={choice.minutes}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-small" disabled={busy}>
            Confirm time-out
          </button>
          <button type="button" className="button button-small button-ghost" onClick={() => setOpen(null)}>
            Cancel
          </button>
        </form>
      ) : null}
      {open === 'ban' ? (
        <form className={styles.toolForm} onSubmit={onBan}>
          <label>
            <input type="checkbox" name="purge" defaultChecked /> Delete their messages in this chat
          </label>
          <button type="submit" className="button button-small button-danger" disabled={busy}>
            Confirm ban
          </button>
          <button type="button" className="button button-small button-ghost" onClick={() => setOpen(null)}>
            Cancel
          </button>
        </form>
      ) : null}
    </div>
  );
}
