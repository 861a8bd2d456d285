import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { requireUser } from '@/lib/session';
import { signOutEverywhereAction } from '@/lib/actions/account';
import { ChangePasswordForm, DeleteAccountForm } from './account-forms';

export const metadata: Metadata = { title: 'Account' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const user = await requireUser('/dashboard/account');
  const row = await getDb().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  const hasPassword = typeof row?.passwordHash === 'string';
  return (
    <main className="page">
      <h1>Account</h1>
      <p className="muted">Signed in as {user.username}.</p>
      {hasPassword ? (
        <section className="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Change password</h2>
          <p className="muted">Changing it signs you out on every other browser and device.</p>
          <ChangePasswordForm />
        </section>
      ) : null}
      <section className="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p className="muted">Ends every session of this account, this browser included.</p>
        <form action={signOutEverywhereAction} aria-label="Sign out everywhere">
          <button type="submit" className="button">
            Sign out everywhere
          </button>
        </form>
      </section>
      <section className="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <p className="muted">Deletes your account, your channel, its stream key and its stream history. A running stream ends. This cannot be undone.</p>
        <DeleteAccountForm hasPassword={hasPassword} username={user.username} />
      </section>
    </main>
  );
}
