// The client's address inside the app. scripts/web-server.mjs resolved it from the socket and
// TRUST_PROXY and put it in an internal header after deleting any client-sent copy; nothing here
// reads X-Forwarded-For. Without that server in front (e.g. plain `next start`) the header is
// missing and every client shares the key "unknown": limits then hold for everyone at once, which
// is safe, never bypassable.
import { CLIENT_ADDRESS_HEADER } from './net/internal-headers.mjs';
import { addressKey, normalizeAddress } from './net/trust-proxy.mjs';

type HeaderSource = Pick<Headers, 'get'> | Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Pick<Headers, 'get'>).get === 'function') return (headers as Pick<Headers, 'get'>).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The client's address (IPv4 dotted or IPv6), or "unknown". */
export function clientAddress(headers: HeaderSource): string {
  const value = headerValue(headers, CLIENT_ADDRESS_HEADER);
  return (value && normalizeAddress(value)) || 'unknown';
}

/** What limits and counts are keyed by: the IPv4 address, or the IPv6 address's /64. */
export function clientKey(headers: HeaderSource): string {
  const address = clientAddress(headers);
  return address === 'unknown' ? address : addressKey(address);
}
