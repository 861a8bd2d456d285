// Invite links made by admins: `/signup?invite=<token>`, single use, with an expiry. Only the
// token's hash is stored; the link is shown once, to the admin who made it.
import type { Db } from '../db';
import { hashLinkToken, newLinkToken } from './tokens';

export { INVITE_EXPIRY_DAYS } from './invite-expiry';
export type InviteStatus = 'unused' | 'used' | 'expired';

export async function createInvite(db: Db, createdById: string, days: number, now = new Date()): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newLinkToken();
  const invite = await db.invite.create({
    data: { tokenHash: hashLinkToken(token), createdById, expiresAt: new Date(now.getTime() + days * 24 * 3600_000) },
    select: { id: true, expiresAt: true },
  });
  return { id: invite.id, token, expiresAt: invite.expiresAt };
}

export function inviteStatus(invite: { usedAt: Date | null; expiresAt: Date }, now = new Date()): InviteStatus {
  if (invite.usedAt) return 'used';
  return invite.expiresAt.getTime() <= now.getTime() ? 'expired' : 'unused';
}

/** Newest first, bounded: the admin page lists the most recent ones. */
export function listInvites(db: Db, take = 100) {
  return db.invite.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, createdAt: true, expiresAt: true, usedAt: true, usedBy: true, createdBy: { select: { username: true } } },
  });
}

/** Revoking removes an unused invite; a used one stays as a record of who came in through it. */
export async function revokeInvite(db: Db, id: string): Promise<boolean> {
  const { count } = await db.invite.deleteMany({ where: { id, usedAt: null } });
  return count === 1;
}
