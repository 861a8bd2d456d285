// next-auth (v4) configuration: username + password (Credentials), plus GitHub and a generic
// OIDC provider when their env vars are set. JWT sessions; the token carries the user id (sub)
// and username, and `sv`, the user's sessionVersion when it was issued: every request looks the
// user up once by id and treats a token whose version differs, or whose user is disabled or gone,
// as signed out (lib/accounts/active-session.ts). Built lazily from the environment so `next build` needs no secrets.
import type { NextAuthOptions } from 'next-auth';
import CredentialsModule from 'next-auth/providers/credentials';
import GitHubModule from 'next-auth/providers/github';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { findActiveSessionUser } from './accounts/active-session';
import { findOAuthUser, findOrCreateOAuthUser } from './accounts/oauth-user';
import { signUpGrantFor, SIGN_UP_REFUSALS } from './accounts/register-user';
import { verifyCredentials } from './accounts/verify-credentials';
import { getDb } from './db';
import { getEnv, type Env } from './env';
import { consoleLogger, errorMessage } from './logger';
import { safeRedirectUrl } from './safe-redirect';
import { signInSchema } from './validations/auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; username: string; name?: string | null; isAdmin: boolean };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    username?: string;
    /** User.sessionVersion when the token was issued. */
    sv?: number;
    isAdmin?: boolean;
  }
}

/** Thrown by the jwt callback for a revoked token: next-auth then clears the cookie and reports no session. */
class SessionEndedError extends Error {
  constructor() {
    super('session ended');
    this.name = 'SessionEndedError';
  }
}

/** `/login?error=<code>` after a refused GitHub/OIDC sign-in, and what the sign-in page says for it. */
export const OAUTH_REFUSALS: Record<string, string> = {
  AccountDisabled: 'This account is disabled.',
  NotSetUp: SIGN_UP_REFUSALS.notSetUp,
  InviteRequired: `${SIGN_UP_REFUSALS.inviteRequired} New accounts are created through the sign-up form with that link.`,
  SignUpClosed: SIGN_UP_REFUSALS.closed,
};

function refusalCode(refused: string): string {
  if (refused === SIGN_UP_REFUSALS.notSetUp) return 'NotSetUp';
  if (refused === SIGN_UP_REFUSALS.closed) return 'SignUpClosed';
  return 'InviteRequired';
}

/**
 * next-auth's provider files are CommonJS with `exports.default`. Next's bundler unwraps that
 * default; Node's own ESM loader (tests, scripts) hands over the whole exports object instead.
 */
function cjsDefault<T>(imported: T): T {
  const wrapped = imported as T | { default: T };
  return typeof wrapped === 'object' && wrapped !== null && 'default' in wrapped ? wrapped.default : (wrapped as T);
}
const CredentialsProvider = cjsDefault(CredentialsModule);
const GitHubProvider = cjsDefault(GitHubModule);

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** next-auth's own cookie naming: `__Secure-` prefixed when the site is served over https. */
export function sessionCookie(env: Pick<Env, 'NEXTAUTH_URL'>): { name: string; secure: boolean } {
  const secure = env.NEXTAUTH_URL?.startsWith('https://') ?? false;
  return { name: `${secure ? '__Secure-' : ''}next-auth.session-token`, secure };
}

export interface OAuthProviderInfo {
  id: string;
  name: string;
}

/** The external providers that are configured (their env vars are all set). */
export function enabledOAuthProviders(env: Env = getEnv()): OAuthProviderInfo[] {
  const providers: OAuthProviderInfo[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) providers.push({ id: 'github', name: 'GitHub' });
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) providers.push({ id: 'oidc', name: 'Single sign-on' });
  return providers;
}

interface OidcProfile {
  sub: string;
  preferred_username?: string;
  name?: string;
  email?: string;
}

export function buildAuthOptions(env: Env): NextAuthOptions {
  const cookie = sessionCookie(env);
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Username and password',
      credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const user = await verifyCredentials(getDb(), parsed.data);
        return user ? { id: user.id, name: user.username, username: user.username, sessionVersion: user.sessionVersion } : null;
      },
    }),
  ];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    const oidc: OAuthConfig<OidcProfile> = {
      id: 'oidc',
      name: 'Single sign-on',
      type: 'oauth',
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      authorization: { params: { scope: 'openid profile email' } },
      idToken: true,
      checks: ['pkce', 'state'],
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      profile: (profile) => ({ id: profile.sub, name: profile.preferred_username ?? profile.name ?? null, email: profile.email ?? null }),
    };
    providers.push(oidc);
  }

  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login' },
    cookies: {
      sessionToken: { name: cookie.name, options: { httpOnly: true, sameSite: 'lax', path: '/', secure: cookie.secure } },
    },
    providers,
    logger: {
      error(code, metadata) {
        // A revoked session is an expected outcome, not an error worth a stack trace per request.
        const error = metadata instanceof Error ? metadata : metadata && 'error' in metadata ? metadata.error : undefined;
        if (error instanceof SessionEndedError) return;
        // The message only: next-auth's metadata can carry provider responses and tokens.
        consoleLogger.error('next_auth_error', { code, error: errorMessage(error ?? metadata) });
      },
      warn(code) {
        consoleLogger.warn('next_auth_warning', { code });
      },
      debug() {},
    },
    callbacks: {
      // GitHub/OIDC: a disabled account, or a new identity that registration refuses, is sent
      // back to the sign-in page with the reason (the jwt callback would create the account).
      async signIn({ account }) {
        if (!account || account.type !== 'oauth') return true;
        const linked = await findOAuthUser(getDb(), { provider: account.provider, providerAccountId: account.providerAccountId });
        if (linked) return linked.disabledAt === null ? true : '/login?error=AccountDisabled';
        const grant = await signUpGrantFor(getDb(), {});
        return 'refused' in grant ? `/login?error=${refusalCode(grant.refused)}` : true;
      },
      // Only same-origin paths (lib/safe-redirect.ts), the same rule as the sign-in form's.
      redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
      async jwt({ token, user, account, profile }) {
        if (account && account.type === 'oauth') {
          // First sign-in through GitHub/OIDC: map the external identity to our user (and channel).
          const login = profile && 'login' in profile && typeof profile.login === 'string' ? profile.login : null;
          const preferred = profile && 'preferred_username' in profile && typeof profile.preferred_username === 'string' ? profile.preferred_username : null;
          const local = await findOrCreateOAuthUser(getDb(), {
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            preferredUsername: login ?? preferred ?? user.name ?? null,
            displayName: profile?.name ?? null,
          });
          token.sub = local.id;
          token.username = local.username;
          token.name = local.username;
          token.sv = local.sessionVersion;
        } else if (user && 'username' in user && typeof user.username === 'string' && 'sessionVersion' in user && typeof user.sessionVersion === 'number') {
          token.sub = user.id;
          token.username = user.username;
          token.sv = user.sessionVersion;
        }
        const active = await findActiveSessionUser(getDb(), token);
        if (!active) throw new SessionEndedError();
        token.username = active.username;
        token.isAdmin = active.isAdmin;
        return token;
      },
      session({ session, token }) {
        session.user = { id: token.sub ?? '', username: token.username ?? '', name: token.username ?? null, isAdmin: token.isAdmin === true };
        return session;
      },
    },
  };
}

let cached: { env: Env; options: NextAuthOptions } | undefined;

export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  if (cached?.env !== env) cached = { env, options: buildAuthOptions(env) };
  return cached.options;
}
