// What a per-address connection cap counts: an IPv4 address as is, an IPv6 address as its /64
// (one household or VPS gets a whole /64, so counting single IPv6 addresses would cap nothing).
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address without an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4` -> `1.2.3.4`), as nginx prints
 * it, and without the brackets an X-Forwarded-For entry may put around an IPv6 address.
 */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return '';
  const plain = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return plain.toLowerCase().startsWith('::ffff:') && isIPv4(plain.slice(7)) ? plain.slice(7) : plain;
}

/** `1.2.3.4` -> `1.2.3.4`; `2001:db8:1:2:aa::1` -> `2001:db8:1:2::/64`; anything else unchanged. */
export function addressKey(address: string): string {
  const plain = normalizeAddress(address).split('%')[0] ?? '';
  if (!isIPv6(plain)) return plain;
  const groups = expandIPv6(plain);
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail counts as two). */
function expandIPv6(address: string): number[] {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const left = toGroups(head);
  if (tail === undefined) return left;
  const right = toGroups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
