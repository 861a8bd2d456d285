import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isGrantUsable, signUpGrantFor, SIGN_UP_REFUSALS } from '@/lib/accounts/register-user';
import { isWellFormedLinkToken } from '@/lib/accounts/tokens';
import { getDb } from '@/lib/db';
import { getCurrentUser } from '@/lib/session';
import { SignupForm } from './signup-form';

export const metadata: Metadata = { title: 'Sign up' };
export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;

export default async function SignupPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  if (await getCurrentUser()) redirect('/dashboard');
  const params = await searchParams;
  const setup = isWellFormedLinkToken(params.setup) ? params.setup : undefined;
  const invite = isWellFormedLinkToken(params.invite) ? params.invite : undefined;
  const db = getDb();
  const grant = await signUpGrantFor(db, { setup, invite });
  let refusal: string | null = null;
  if ('refused' in grant) refusal = grant.refused;
  else if (!(await isGrantUsable(db, grant))) refusal = grant.kind === 'setup' ? SIGN_UP_REFUSALS.badSetup : SIGN_UP_REFUSALS.badInvite;
  const isSetup = !('refused' in grant) && grant.kind === 'setup';
  return (
    <main className="auth-card">
      <h1>{isSetup ? 'Create the admin account' : 'Create your channel'}</h1>
      {refusal !== null || 'refused' in grant ? (
        <p className="form-message is-error" role="status">
          {refusal}
        </p>
      ) : (
        <>
          {isSetup ? <p className="muted">This first account administers the site: it manages users, channels, invites and who may sign up.</p> : null}
          {grant.kind === 'invite' ? <p className="muted">You were invited: this link creates one account.</p> : null}
          <SignupForm setup={grant.kind === 'setup' ? grant.token : undefined} invite={grant.kind === 'invite' ? grant.token : undefined} />
        </>
      )}
      <p className="muted">
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </main>
  );
}
