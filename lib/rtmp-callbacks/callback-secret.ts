import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of the `?secret=` the media server was configured with. Both sides are
 * hashed first so that the comparison time depends on neither value's length.
 */
export function verifyCallbackSecret(presented: string | null, expected: string | undefined): boolean {
  if (!expected || presented === null) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
