import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { enabledOAuthProviders } from '@/lib/auth';
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
  return (
    <main className="auth-card">
      <h1>Sign in</h1>
      <LoginForm callbackUrl={callbackUrl} />
      {providers.length > 0 ? <OAuthButtons providers={providers} callbackUrl={callbackUrl} /> : null}
      <p className="muted">
        No account yet? <Link href="/signup">Sign up</Link>
      </p>
    </main>
  );
}
