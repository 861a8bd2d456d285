'use client';
import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-field';
import { createInviteAction, type InviteState } from '@/lib/actions/admin';
import { INVITE_EXPIRY_DAYS } from '@/lib/accounts/invite-expiry';

export function InviteForm() {
  const [state, action, pending] = useActionState<InviteState, FormData>(createInviteAction, {});
  // The action returns a path; the link is made with the address this browser uses for the site.
  const link = state.invitePath && typeof window !== 'undefined' ? `${window.location.origin}${state.invitePath}` : state.invitePath;
  return (
    <form action={action} aria-label="Create invite">
      <div className="field">
        <label htmlFor="field-days">Expires after</label>
        <select id="field-days" name="days" className="input" defaultValue="7" aria-describedby={state.errors?.days ? 'field-days-error' : undefined}>
          {INVITE_EXPIRY_DAYS.map((days) => (
            <option key={days} value={days}>
              {days === 1 ? '1 day' : `${days} days`}
            </option>
          ))}
        </select>
        {state.errors?.days ? (
          <ul id="field-days-error" className="field-error" role="alert">
            {state.errors.days.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <FormMessage status={state.status} message={state.message} />
      {link ? (
        <div className="field">
          <label htmlFor="invite-link">Invite link</label>
          <input id="invite-link" className="input" readOnly value={link} />
        </div>
      ) : null}
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating…' : 'Create invite'}
      </button>
    </form>
  );
}
