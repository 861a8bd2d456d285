// The browser-safe part of stream keys (no node:crypto): how a stored key is shown masked.
export const STREAM_KEY_PREFIX = 'live_';

/** `live_••••••••••••abcd`: enough to recognise a key, useless to an onlooker. */
export function maskStreamKey(last4: string): string {
  return `${STREAM_KEY_PREFIX}${'•'.repeat(12)}${last4}`;
}
