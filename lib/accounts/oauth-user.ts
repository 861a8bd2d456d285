// GitHub / OIDC sign-in: find the user linked to the external identity, or create one (with its
// channel) under a username derived from the profile. Creating one follows the registration mode:
// in `invite` and `closed` mode (and before the first admin exists) an unknown identity is
// refused; invite links work through the sign-up form only.
import type { Db } from '../db';
import { AppError } from '../errors';
import type { RegistrationMode } from '../site-settings/registration';
import { registerUser, signUpGrantFor } from './register-user';
import { RESERVED_USERNAMES, USERNAME_MAX, USERNAME_MIN } from '../validations/auth';
import type { AuthenticatedUser } from './verify-credentials';

export interface ExternalIdentity {
  provider: string;
  providerAccountId: string;
  /** Preferred username (GitHub login, OIDC preferred_username), any case or alphabet. */
  preferredUsername: string | null;
  displayName: string | null;
}

/** A valid, unreserved username base derived from a profile name: `Jane.Doe` -> `jane_doe`. */
export function usernameBaseFrom(preferred: string | null): string {
  let base = (preferred ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // combining accents split off by NFKD: José -> Jose
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, USERNAME_MAX - 5);
  if (base === '') base = 'streamer';
  else if (base.length < USERNAME_MIN) base = `user_${base}`;
  if (RESERVED_USERNAMES.has(base)) base = `${base}_tv`;
  return base;
}

/** The local user an external identity is linked to, or null when it would be a new account. */
export async function findOAuthUser(db: Db, identity: Pick<ExternalIdentity, 'provider' | 'providerAccountId'>) {
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
    include: { user: { select: { id: true, username: true, sessionVersion: true, disabledAt: true } } },
  });
  return linked?.user ?? null;
}

/** Finds or creates the user; throws a `forbidden` AppError when disabled or registration refuses a new one. */
export async function findOrCreateOAuthUser(db: Db, identity: ExternalIdentity, options: { mode?: RegistrationMode } = {}): Promise<AuthenticatedUser> {
  const linked = await findOAuthUser(db, identity);
  if (linked) {
    if (linked.disabledAt !== null) throw new AppError('forbidden', 'This account is disabled.');
    return { id: linked.id, username: linked.username, sessionVersion: linked.sessionVersion };
  }
  const grant = await signUpGrantFor(db, {}, options.mode);
  if ('refused' in grant) throw new AppError('forbidden', grant.refused);
  const base = usernameBaseFrom(identity.preferredUsername);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const username = attempt === 0 ? base : `${base}_${Math.floor(1000 + Math.random() * 9000)}`;
    try {
      const { user } = await registerUser(db, grant, {
        username,
        passwordHash: null,
        displayName: identity.displayName?.slice(0, 100) ?? null,
        account: { provider: identity.provider, providerAccountId: identity.providerAccountId },
      });
      return { id: user.id, username: user.username, sessionVersion: user.sessionVersion };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  throw new AppError('conflict', 'Could not find a free username for this account.');
}
