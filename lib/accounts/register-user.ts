// Creating an account under the registration rules, in one transaction with whatever grants it:
//   setup link  -> consumes the setup token, the account is the admin (only way while no admin exists)
//   invite link -> consumes the invite (single use, not expired)
//   open mode   -> nothing to consume
// The consuming write comes first in the transaction, so two racing sign-ups with one token
// cannot both see it (SQLite takes its write lock there; PostgreSQL locks the row).
import type { Db, Prisma } from '../db';
import { createUserWithChannel, type NewAccount } from '../channels/create-user-with-channel';
import { AppError } from '../errors';
import { adminExists, SETUP_TOKEN_SETTING_KEY } from '../site-settings/setup-token';
import { getRegistrationMode, type RegistrationMode } from '../site-settings/registration';
import { hashLinkToken } from './tokens';

export type SignUpGrant = { kind: 'setup'; token: string } | { kind: 'invite'; token: string } | { kind: 'open' };

export interface SignUpLinks {
  setup?: string | undefined;
  invite?: string | undefined;
}

export const SIGN_UP_REFUSALS = {
  notSetUp: 'This site is not set up yet. Its operator finds the setup link in the server console output.',
  inviteRequired: 'Sign-up needs an invite link from an admin of this site.',
  closed: 'Sign-up is closed on this site.',
  badSetup: 'This setup link is not valid (it may have been used already).',
  badInvite: 'This invite link is not valid: it has expired, been used or been revoked.',
} as const;

/** Which grant a sign-up would use, or the refusal to show (checked again, atomically, on creation). */
export async function signUpGrantFor(db: Db, links: SignUpLinks, mode?: RegistrationMode): Promise<SignUpGrant | { refused: string }> {
  if (links.setup) return { kind: 'setup', token: links.setup };
  if (!(await adminExists(db))) return { refused: SIGN_UP_REFUSALS.notSetUp };
  switch (mode ?? (await getRegistrationMode(db))) {
    case 'open':
      return { kind: 'open' };
    case 'invite':
      return links.invite ? { kind: 'invite', token: links.invite } : { refused: SIGN_UP_REFUSALS.inviteRequired };
    case 'closed':
      return { refused: SIGN_UP_REFUSALS.closed };
  }
}

async function consumeGrant(tx: Prisma.TransactionClient, grant: SignUpGrant, username: string, now: Date): Promise<void> {
  if (grant.kind === 'setup') {
    const { count } = await tx.siteSetting.deleteMany({ where: { key: SETUP_TOKEN_SETTING_KEY, value: hashLinkToken(grant.token) } });
    if (count !== 1) throw new AppError('forbidden', SIGN_UP_REFUSALS.badSetup);
  } else if (grant.kind === 'invite') {
    const { count } = await tx.invite.updateMany({
      where: { tokenHash: hashLinkToken(grant.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedBy: username },
    });
    if (count !== 1) throw new AppError('forbidden', SIGN_UP_REFUSALS.badInvite);
  }
}

/** Creates the user (and channel) and consumes its grant, all or nothing. */
export async function registerUser(db: Db, grant: SignUpGrant, account: NewAccount, now = new Date()) {
  return db.$transaction(async (tx) => {
    await consumeGrant(tx, grant, account.username, now);
    return createUserWithChannel(tx, { ...account, isAdmin: grant.kind === 'setup' });
  });
}

/** For the sign-up page: whether the link's token is still good (the real check is registerUser's). */
export async function isGrantUsable(db: Db, grant: SignUpGrant, now = new Date()): Promise<boolean> {
  if (grant.kind === 'setup') {
    const row = await db.siteSetting.findUnique({ where: { key: SETUP_TOKEN_SETTING_KEY }, select: { value: true } });
    return row?.value === hashLinkToken(grant.token);
  }
  if (grant.kind === 'invite') {
    const invite = await db.invite.findUnique({ where: { tokenHash: hashLinkToken(grant.token) }, select: { usedAt: true, expiresAt: true } });
    return invite !== null && invite.usedAt === null && invite.expiresAt.getTime() > now.getTime();
  }
  return true;
}
