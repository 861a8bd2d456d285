import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { enabledOAuthProviders, OAUTH_REFUSALS } from '@/lib/auth';
import { safeRedirectPath } from '@/lib/safe-redirect';
import { getCurrentUser } from '@/lib/session';
import { LoginForm } from './login-form';
import { OAuthButtons } from './oauth-buttons';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const providers = enabledOAuthProviders();
  // After a refused GitHub/OIDC sign-in (lib/auth.ts signIn callback); only known codes are shown.
  const refusal = typeof params.error === 'string' && Object.hasOwn(OAUTH_REFUSALS, params.error) ? OAUTH_REFUSALS[params.error] : undefined;
  return (
    <main className="auth-card">
      <h1>Sign in</h1>
      {refusal ? (
        <p className="form-message is-error" role="alert">
          {refusal}
        </p>
      ) : null}
      <LoginForm callbackUrl={callbackUrl} />
      {providers.length > 0 ? <OAuthButtons providers={providers} callbackUrl={callbackUrl} /> : null}
      <p className="muted">
        No account yet? <Link href="/signup">Sign up</Link>
      </p>
    </main>
  );
}
