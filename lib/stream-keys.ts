// Secret stream keys. A key is `live_` + 160 random bits (base64url, 27 chars). Only its SHA-256
// is stored (indexed unique): a 160-bit random secret needs no slow KDF, and the on_publish
// callback must decide in milliseconds, so the lookup is one indexed equality query.
import { createHash, randomBytes } from 'node:crypto';
import { STREAM_KEY_PREFIX } from './stream-keys-display';

export { maskStreamKey, STREAM_KEY_PREFIX } from './stream-keys-display';
const RANDOM_BYTES = 20;
/** base64url of 20 bytes is 27 characters (no padding). */
const ENCODED_LENGTH = Math.ceil((RANDOM_BYTES * 8) / 6);
const KEY_PATTERN = new RegExp(`^${STREAM_KEY_PREFIX}[A-Za-z0-9_-]{${ENCODED_LENGTH}}$`);
export const STREAM_KEY_LENGTH = STREAM_KEY_PREFIX.length + ENCODED_LENGTH;

export interface NewStreamKey {
  /** The secret itself: shown to its owner once, never stored. */
  key: string;
  /** SHA-256 hex, what the database keeps. */
  hash: string;
  /** Last 4 characters, for the masked display. */
  last4: string;
}

export function generateStreamKey(random: (size: number) => Buffer = randomBytes): NewStreamKey {
  const bytes = random(RANDOM_BYTES);
  if (bytes.length !== RANDOM_BYTES) throw new Error('random source returned the wrong length');
  const key = STREAM_KEY_PREFIX + bytes.toString('base64url');
  return { key, hash: hashStreamKey(key), last4: key.slice(-4) };
}

/** Cheap shape check before any database work; also keeps arbitrary input out of the hash lookup. */
export function isWellFormedStreamKey(value: string): boolean {
  return value.length === STREAM_KEY_LENGTH && KEY_PATTERN.test(value);
}

export function hashStreamKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
