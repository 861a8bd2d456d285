'use client';
// Who may put the channel's player on their site (/<slug>/embed in an iframe): any site, only
// the listed ones, or none. Enforced by the browser through frame-ancestors (proxy.ts).
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { updateEmbedSettingsAction } from '@/lib/actions/embed';
import type { FormState } from '@/lib/actions/form-state';
import { EMBED_ORIGINS_MAX, type EmbedMode } from '@/lib/validations/embed';
import styles from './embed-settings-form.module.css';

const CHOICES: ReadonlyArray<{ mode: EmbedMode; label: string }> = [
  { mode: 'any', label: 'Any site' },
  { mode: 'list', label: 'Only these sites' },
  { mode: 'none', label: 'No site' },
];

export function EmbedSettingsForm(props: { mode: EmbedMode; origins: string; embedUrl: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateEmbedSettingsAction, {});
  // Uncontrolled, like the other dashboard forms: React resets a form after its action, back to
  // these defaults, which are the values the action returned.
  const values = state.values ?? props;
  return (
    <form action={action} noValidate aria-label="Embed settings">
      <p className="muted">
        Your player alone is at <code>{props.embedUrl}</code>, for an <code>&lt;iframe&gt;</code> on another site.
      </p>
      <fieldset className={styles.choices}>
        <legend>Who may embed your player</legend>
        {CHOICES.map((choice) => (
          <label key={choice.mode} className={styles.choice}>
            <input type="radio" name="mode" value={choice.mode} defaultChecked={values.mode === choice.mode} /> {choice.label}
          </label>
        ))}
        {state.errors?.mode ? <p className="field-error">{state.errors.mode.join(' ')}</p> : null}
      </fieldset>
      <FormField
        name="origins"
        label="Sites allowed to embed"
        multiline
        rows={3}
        hint={`One per line, like https://example.com or http://192.168.1.20:8080 (at most ${EMBED_ORIGINS_MAX}). Used with "Only these sites".`}
        defaultValue={values.origins}
        errors={state.errors?.origins}
      />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Applying…' : 'Apply embed settings'}
      </button>
    </form>
  );
}
