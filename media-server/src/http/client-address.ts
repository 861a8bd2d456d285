// Who a request comes from, for the per-address caps: the socket's peer, or with --trust-proxy
// the client named in X-Forwarded-For by the proxies we trust. Same TRUST_PROXY syntax as the
// web app: a hop count (`1`: one proxy in front of us) or a comma list of proxy addresses/CIDRs.
// Pure: no sockets, no config imports.
import { BlockList, isIP } from 'node:net';
import { normalizeAddress } from '../net/address-key.js';

export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'list'; readonly proxies: BlockList; readonly text: string };

export const trustNoProxy: TrustProxy = { kind: 'none' };

/** Longest X-Forwarded-For we look at; a longer header is cut (its leftmost entries are forgeable anyway). */
const maxForwardedChars = 2048;

export class TrustProxyError extends Error {
  override readonly name = 'TrustProxyError';
}

/** Parses `''` (off), `0` (off), a hop count `1`..`10`, or `addr[/bits],...`. Throws TrustProxyError. */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '' || trimmed === '0' || trimmed.toLowerCase() === 'false') return trustNoProxy;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops > 10) throw new TrustProxyError(`hop count ${hops} is more than 10`);
    return { kind: 'hops', hops };
  }
  const proxies = new BlockList();
  for (const entry of trimmed.split(',')) {
    const item = entry.trim();
    const slash = item.indexOf('/');
    const address = slash === -1 ? item : item.slice(0, slash);
    const family = isIP(address);
    if (family === 0) throw new TrustProxyError(`${JSON.stringify(item.slice(0, 60))} is not an address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash === -1) {
      proxies.addAddress(address, type);
      continue;
    }
    const bitsText = item.slice(slash + 1);
    const bits = Number(bitsText);
    if (!/^\d{1,3}$/.test(bitsText) || bits > (family === 4 ? 32 : 128)) throw new TrustProxyError(`${JSON.stringify(item.slice(0, 60))} has a bad prefix length`);
    proxies.addSubnet(address, bits, type);
  }
  return { kind: 'list', proxies, text: trimmed };
}

/** True when `address` is in a --trust-proxy address list. */
export function isTrustedProxy(address: string, trust: TrustProxy): boolean {
  if (trust.kind !== 'list') return false;
  const family = isIP(address);
  return family !== 0 && trust.proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client address of a request that arrived from `socketAddress` with `forwardedFor` (the
 * X-Forwarded-For value, undefined when absent). Each proxy appends the peer it saw, so the
 * list is read from the right: with `hops` N the client is the Nth entry from the right; with a
 * proxy list it is the first entry from the right that is not a trusted proxy. Anything missing
 * or unparsable falls back to the nearest address we know.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const peer = normalizeAddress(socketAddress);
  if (trust.kind === 'none' || forwardedFor === undefined) return peer;
  if (trust.kind === 'list' && !isTrustedProxy(peer, trust)) return peer;
  const entries = forwardedFor.slice(-maxForwardedChars).split(',');
  let client = peer;
  for (let i = entries.length - 1, step = 1; i >= 0; i--, step++) {
    const entry = normalizeAddress(entries[i]!.trim());
    if (isIP(entry) === 0) break;
    client = entry;
    if (trust.kind === 'hops' ? step >= trust.hops : !isTrustedProxy(entry, trust)) break;
  }
  return client;
}
