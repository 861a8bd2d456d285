'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { signUpAction } from '@/lib/actions/auth';
import type { FormState } from '@/lib/actions/form-state';

/** `setup` / `invite`: the token from the link this page was opened with, sent back with the form. */
export function SignupForm({ setup, invite }: { setup?: string | undefined; invite?: string | undefined }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <form action={action} noValidate aria-label="Sign up">
      {setup ? <input type="hidden" name="setup" value={setup} /> : null}
      {invite ? <input type="hidden" name="invite" value={invite} /> : null}
      <FormField
        name="username"
        label="Username"
        autoComplete="username"
        required
        minLength={3}
        maxLength={30}
        hint="3–30 characters: lowercase letters, digits and _. It is also your channel address."
        defaultValue={state.values?.username ?? ''}
        errors={state.errors?.username}
      />
      <FormField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={200}
        hint="At least 8 characters."
        errors={state.errors?.password}
      />
      <FormField
        name="confirmPassword"
        label="Repeat password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={200}
        errors={state.errors?.confirmPassword}
      />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating…' : 'Sign up'}
      </button>
    </form>
  );
}
