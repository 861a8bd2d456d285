'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { recordingLimitsAction } from '@/lib/actions/admin-recordings';
import type { FormState } from '@/lib/actions/form-state';

export function RecordingLimitsForm(props: { maxAgeDays: string; maxGb: string; envAgeDays?: number | undefined; envGb?: number | undefined }) {
  const [state, action, pending] = useActionState<FormState, FormData>(recordingLimitsAction, {});
  const values = state.values ?? { maxAgeDays: props.maxAgeDays, maxGb: props.maxGb };
  return (
    <form action={action} noValidate aria-label="Recording limits">
      <FormField name="maxAgeDays" label="Delete past broadcasts older than (days; empty = keep)" inputMode="numeric" defaultValue={values.maxAgeDays} errors={state.errors?.maxAgeDays} />
      <FormField name="maxGb" label="All past broadcasts together at most (GB; empty = no limit)" inputMode="decimal" defaultValue={values.maxGb} errors={state.errors?.maxGb} />
      {(props.envAgeDays !== undefined || props.envGb !== undefined) && (
        <p className="form-message is-error">
          {props.envAgeDays !== undefined && `RECORDINGS_MAX_AGE_DAYS=${props.envAgeDays} `}
          {props.envGb !== undefined && `RECORDINGS_MAX_GB=${props.envGb} `}
          is set in the server environment and wins over this setting while it is set.
        </p>
      )}
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save recording limits'}
      </button>
    </form>
  );
}
