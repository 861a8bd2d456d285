// @ts-check
// Request headers that scripts/web-server.mjs owns. It deletes whatever a client sent under these
// names before setting its own, so inside the app their values come from the socket and TRUST_PROXY.

/** The client's address (lib/client-address.ts reads it). */
export const CLIENT_ADDRESS_HEADER = 'x-onair-client-addr';

/**
 * Carries the web server's per-process secret on every request it passes to Next.js, so it can
 * tell Next's own loopback requests to itself (server-action redirects) from a client's.
 */
export const SELF_REQUEST_HEADER = 'x-onair-self';

/** Deleted from every incoming request before the server sets its resolved values. */
export const SPOOFABLE_HEADERS = /** @type {const} */ ([
  CLIENT_ADDRESS_HEADER,
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  'forwarded',
]);
