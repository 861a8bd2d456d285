// Sign-up: a user and the one channel they own, created together (slug = username).
import type { Db, Prisma } from '../db';
import { AppError } from '../errors';
import type { Channel, User } from '../generated/sqlite/client';

export interface NewAccount {
  /** Already validated and lowercased by `usernameSchema`. */
  username: string;
  /** scrypt hash, or null for OAuth-only accounts. */
  passwordHash: string | null;
  displayName?: string | null;
  email?: string | null;
  /** An external identity to link (GitHub / OIDC sign-up). */
  account?: { provider: string; providerAccountId: string };
  /** The first admin (created through the setup link). */
  isAdmin?: boolean;
}

/** Runs on the client or inside a transaction (sign-up consumes its invite in the same one). */
export async function createUserWithChannel(db: Db | Prisma.TransactionClient, input: NewAccount): Promise<{ user: User; channel: Channel }> {
  try {
    const user = await db.user.create({
      data: {
        username: input.username,
        passwordHash: input.passwordHash,
        displayName: input.displayName ?? null,
        email: input.email ?? null,
        isAdmin: input.isAdmin ?? false,
        channel: { create: { slug: input.username, title: `${input.displayName ?? input.username}'s channel`.slice(0, 100) } },
        accounts: input.account ? { create: input.account } : undefined,
      },
      include: { channel: true },
    });
    const { channel, ...rest } = user;
    if (!channel) throw new Error('channel was not created with its user');
    return { user: rest, channel };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'This username is already taken.', { cause: error });
    throw error;
  }
}

/** Prisma's P2002 (unique constraint failed), without importing either generated client's error class. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}
