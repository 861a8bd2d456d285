'use client';
// GitHub / OIDC sign-in goes through next-auth's own OAuth flow (/api/auth/signin/<id>).
import { signIn } from 'next-auth/react';
import type { OAuthProviderInfo } from '@/lib/auth';

export function OAuthButtons({ providers, callbackUrl }: { providers: OAuthProviderInfo[]; callbackUrl: string }) {
  return (
    <div className="oauth-buttons">
      {providers.map((provider) => (
        <button key={provider.id} type="button" className="button button-ghost" onClick={() => void signIn(provider.id, { callbackUrl })}>
          Continue with {provider.name}
        </button>
      ))}
    </div>
  );
}
