'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { signInAction } from '@/lib/actions/auth';
import type { FormState } from '@/lib/actions/form-state';

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  return (
    <form action={action} noValidate aria-label="Sign in">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormField
        name="username"
        label="Username"
        autoComplete="username"
        required
        maxLength={30}
        defaultValue={state.values?.username ?? ''}
        errors={state.errors?.username}
      />
      <FormField name="password" label="Password" type="password" autoComplete="current-password" required maxLength={200} errors={state.errors?.password} />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
