'use client';
// The channel's chat: when people may chat, slow mode, the moderators the streamer appoints (they
// can delete messages, time out and ban in this chat), and the bans and time-outs in force, each
// with a button to lift it.
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { addChatModeratorAction, liftChatSanctionAction, removeChatModeratorAction, updateChatSettingsAction } from '@/lib/actions/chat';
import type { FormState } from '@/lib/actions/form-state';
import type { ChatMode } from '@/lib/live/types';
import styles from './embed-settings-form.module.css';

const CHOICES: ReadonlyArray<{ mode: ChatMode; label: string }> = [
  { mode: 'always', label: 'Always' },
  { mode: 'live', label: 'Only while live' },
  { mode: 'off', label: 'Off' },
];

/** A ban (`until` null) or a time-out until an ISO time. */
export interface ChatSanctionItem {
  readonly username: string;
  readonly until: string | null;
}

export function ChatSettingsForm(props: { mode: ChatMode; slowModeSeconds: number; moderators: readonly string[]; sanctions: readonly ChatSanctionItem[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateChatSettingsAction, {});
  const values = state.values ?? { mode: props.mode, slowModeSeconds: String(props.slowModeSeconds) };
  return (
    <>
      <form action={action} noValidate aria-label="Chat settings">
        <fieldset className={styles.choices}>
          <legend>When people can chat</legend>
          {CHOICES.map((choice) => (
            <label key={choice.mode} className={styles.choice}>
              <input type="radio" name="mode" value={choice.mode} defaultChecked={values.mode === choice.mode} /> {choice.label}
            </label>
          ))}
          {state.errors?.mode ? <p className="field-error">{state.errors.mode.join(' ')}</p> : null}
        </fieldset>
        <FormField
          name="slowModeSeconds"
          label="Slow mode (seconds)"
          type="number"
          min={0}
          max={300}
          hint="Seconds each viewer waits between two messages; 0 turns slow mode off. You and your moderators are exempt."
          defaultValue={values.slowModeSeconds}
          errors={state.errors?.slowModeSeconds}
        />
        <FormMessage status={state.status} message={state.message} />
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Saving…' : 'Save chat settings'}
        </button>
      </form>
      <ModeratorsForm moderators={props.moderators} />
      <SanctionsList sanctions={props.sanctions} />
    </>
  );
}

function ModeratorsForm(props: { moderators: readonly string[] }) {
  const [added, addAction, adding] = useActionState<FormState, FormData>(addChatModeratorAction, {});
  const [removed, removeAction] = useActionState<FormState, FormData>(removeChatModeratorAction, {});
  return (
    <section aria-labelledby="chat-moderators-heading">
      <h3 id="chat-moderators-heading">Moderators</h3>
      {props.moderators.length === 0 ? (
        <p className="muted">No moderators yet.</p>
      ) : (
        <ul>
          {props.moderators.map((username) => (
            <li key={username}>
              {username}{' '}
              <form action={removeAction} style={{ display: 'inline' }}>
                <input type="hidden" name="username" value={username} />
                <button type="submit" className="button button-ghost button-small">
                  {`Remove ${username}`}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <FormMessage status={removed.status} message={removed.message} />
      <form action={addAction} noValidate aria-label="Add a moderator">
        <FormField name="username" label="Moderator's username" defaultValue={added.values?.username ?? ''} errors={added.errors?.username} autoComplete="off" />
        <FormMessage status={added.status} message={added.message} />
        <button type="submit" className="button" disabled={adding}>
          {adding ? 'Adding…' : 'Add moderator'}
        </button>
      </form>
    </section>
  );
}

/** "2026-12-05 14:03 UTC": the same text on the server and in every browser (no hydration mismatch). */
const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function SanctionsList(props: { sanctions: readonly ChatSanctionItem[] }) {
  const [lifted, liftAction] = useActionState<FormState, FormData>(liftChatSanctionAction, {});
  return (
    <section aria-labelledby="chat-sanctions-heading">
      <h3 id="chat-sanctions-heading">Banned and timed out</h3>
      {props.sanctions.length === 0 ? (
        <p className="muted">Nobody is banned or timed out.</p>
      ) : (
        <ul>
          {props.sanctions.map((sanction) => (
            <li key={sanction.username}>
              {sanction.username} <span className="muted">{sanction.until === null ? 'banned' : `timed out until ${utcMinute(sanction.until)}`}</span>{' '}
              <form action={liftAction} style={{ display: 'inline' }}>
                <input type="hidden" name="username" value={sanction.username} />
                <button type="submit" className="button button-ghost button-small">
                  {sanction.until === null ? `Unban ${sanction.username}` : `End time-out for ${sanction.username}`}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <FormMessage status={lifted.status} message={lifted.message} />
    </section>
  );
}
