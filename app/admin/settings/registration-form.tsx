'use client';
import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-field';
import { registrationModeAction } from '@/lib/actions/admin';
import type { FormState } from '@/lib/actions/form-state';
import type { RegistrationMode } from '@/lib/site-settings/registration';

const DESCRIPTIONS: Record<RegistrationMode, string> = {
  open: 'Open: anyone can sign up.',
  invite: 'Invite: only people with an invite link from an admin.',
  closed: 'Closed: nobody can sign up.',
};

export function RegistrationForm({ saved, forcedByEnv }: { saved: RegistrationMode; forcedByEnv: RegistrationMode | undefined }) {
  const [state, action, pending] = useActionState<FormState, FormData>(registrationModeAction, {});
  return (
    <form action={action} aria-label="Registration">
      <fieldset aria-describedby={forcedByEnv ? 'registration-env' : undefined}>
        <legend>Who may sign up</legend>
        {(Object.keys(DESCRIPTIONS) as RegistrationMode[]).map((mode) => (
          <div key={mode}>
            <input type="radio" id={`registration-${mode}`} name="mode" value={mode} defaultChecked={mode === saved} />{' '}
            <label htmlFor={`registration-${mode}`}>{DESCRIPTIONS[mode]}</label>
          </div>
        ))}
      </fieldset>
      {forcedByEnv ? (
        <p id="registration-env" className="form-message is-error">
          REGISTRATION={forcedByEnv} is set in the server environment and wins over this setting while it is set.
        </p>
      ) : null}
      {state.errors?.mode ? (
        <p className="form-message is-error" role="alert">
          {state.errors.mode.join(' ')}
        </p>
      ) : null}
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save registration'}
      </button>
    </form>
  );
}
