// One-time secrets for links (setup, invites): a random token goes into the URL once, only its
// SHA-256 is stored, so a copy of the database cannot be used to sign up.
import { createHash, randomBytes } from 'node:crypto';

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens in URLs are base64url of 32 bytes; anything else is refused before touching the database. */
export function isWellFormedLinkToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value);
}
