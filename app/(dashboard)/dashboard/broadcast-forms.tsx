'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import styles from '@/app/_components/broadcasts/broadcasts.module.css';
import { deleteBroadcastAction, recordingSettingsAction, updateBroadcastAction } from '@/lib/actions/broadcasts';
import type { FormState } from '@/lib/actions/form-state';
import { BROADCAST_TITLE_MAX } from '@/lib/validations/broadcast';

export function RecordingSettingsForm(props: { recordBroadcasts: boolean; maxAgeDays: string; maxGb: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(recordingSettingsAction, {});
  const values = state.values ?? { recordingsMaxAgeDays: props.maxAgeDays, recordingsMaxGb: props.maxGb };
  return (
    <form action={action} noValidate aria-label="Recording settings">
      <div className="field">
        <input type="checkbox" id="field-recordBroadcasts" name="recordBroadcasts" defaultChecked={props.recordBroadcasts} />{' '}
        <label htmlFor="field-recordBroadcasts">Keep my broadcasts as past broadcasts</label>
      </div>
      <FormField
        name="recordingsMaxAgeDays"
        label="Delete past broadcasts older than (days, optional)"
        inputMode="numeric"
        defaultValue={values.recordingsMaxAgeDays}
        errors={state.errors?.recordingsMaxAgeDays}
      />
      <FormField
        name="recordingsMaxGb"
        label="Keep at most (GB in total, optional; the oldest go first)"
        inputMode="decimal"
        defaultValue={values.recordingsMaxGb}
        errors={state.errors?.recordingsMaxGb}
      />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save recording settings'}
      </button>
    </form>
  );
}

export function BroadcastRow({ id, title, visibility }: { id: string; title: string; visibility: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateBroadcastAction, {});
  const [deleted, remove, deleting] = useActionState<FormState, FormData>(deleteBroadcastAction, {});
  const values = state.values ?? { title, visibility };
  return (
    <div>
      <form action={action} className={styles.inline} aria-label={`Edit ${title}`}>
        <input type="hidden" name="id" value={id} />
        <input className="input" aria-label="Title" name="title" maxLength={BROADCAST_TITLE_MAX} defaultValue={values.title} />
        <select aria-label="Visibility" name="visibility" defaultValue={values.visibility}>
          <option value="public">Public</option>
          <option value="unlisted">Unlisted (only with the link)</option>
          <option value="private">Private (only me)</option>
        </select>
        <button type="submit" className="button" disabled={pending}>
          Save
        </button>
      </form>
      {state.errors?.title && <p className="form-message is-error">{state.errors.title.join(' ')}</p>}
      <FormMessage status={state.status} message={state.message} />
      <form action={remove} aria-label={`Delete ${title}`}>
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="button" disabled={deleting}>
          Delete
        </button>
        <FormMessage status={deleted.status} message={deleted.message} />
      </form>
    </div>
  );
}
