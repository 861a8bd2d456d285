'use client';
import { useActionState } from 'react';
import { FormField, FormMessage } from '@/app/_components/form-field';
import { changePasswordAction, deleteAccountAction } from '@/lib/actions/account';
import type { FormState } from '@/lib/actions/form-state';

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(changePasswordAction, {});
  return (
    <form action={action} noValidate aria-label="Change password">
      <FormField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required maxLength={200} errors={state.errors?.currentPassword} />
      <FormField name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} hint="At least 8 characters." errors={state.errors?.newPassword} />
      <FormField name="confirmPassword" label="Repeat new password" type="password" autoComplete="new-password" required maxLength={200} errors={state.errors?.confirmPassword} />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

export function DeleteAccountForm({ hasPassword, username }: { hasPassword: boolean; username: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteAccountAction, {});
  return (
    <form action={action} noValidate aria-label="Delete account">
      <FormField
        name="confirmation"
        label={hasPassword ? 'Your password, to confirm' : `Type ${username} to confirm`}
        type={hasPassword ? 'password' : 'text'}
        autoComplete={hasPassword ? 'current-password' : 'off'}
        required
        maxLength={200}
        errors={state.errors?.confirmation}
      />
      <FormMessage status={state.status} message={state.message} />
      <button type="submit" className="button button-danger" disabled={pending}>
        {pending ? 'Deleting…' : 'Delete my account'}
      </button>
    </form>
  );
}
