// @ts-check
// Who sent a request, and through which host name and scheme: the socket's peer address unless
// TRUST_PROXY says which reverse proxies in front of us may speak for the client through
// X-Forwarded-For / -Host / -Proto. Pure (no sockets, no env), shared by the web server
// (scripts/web-server.mjs, which resolves once per request), the configuration rules and tests.
//
// TRUST_PROXY syntax (the media server's --trust-proxy uses the same):
//   unset / ""                 trust nobody: the socket address is the client, forwarded headers are ignored
//   1, 2, ...                  that many proxies in front: the peer is one, X-Forwarded-For's last n-1 entries are the rest
//   10.0.0.1,192.168.0.0/16    the peer, and X-Forwarded-For entries from the right, are proxies while they match
import { isIP } from 'node:net';

/** @typedef {{ kind: 'none' } | { kind: 'hops', hops: number } | { kind: 'list', ranges: Cidr[] }} TrustProxy */
/** @typedef {{ family: 4 | 6, bits: bigint, prefix: number }} Cidr */

const MAX_ENTRIES = 32;
const MAX_HOPS = 16;

/**
 * Parses a TRUST_PROXY value; throws an Error saying what is wrong.
 * @param {string | undefined} value
 * @returns {TrustProxy}
 */
export function parseTrustProxy(value) {
  const text = (value ?? '').trim();
  if (text === '') return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) throw new Error(`a hop count must be 0-${MAX_HOPS}`);
    return hops === 0 ? { kind: 'none' } : { kind: 'hops', hops };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_ENTRIES) throw new Error(`at most ${MAX_ENTRIES} proxy addresses`);
  return {
    kind: 'list',
    ranges: entries.map((entry) => {
      const cidr = parseCidr(entry);
      if (!cidr) throw new Error(`${JSON.stringify(entry.slice(0, 60))} is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)`);
      return cidr;
    }),
  };
}

/**
 * @param {string} entry
 * @returns {Cidr | null}
 */
export function parseCidr(entry) {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const parsed = parseAddress(address);
  if (!parsed) return null;
  const maxPrefix = parsed.family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(maxPrefix) : entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
  return { family: parsed.family, bits: parsed.bits, prefix: Number(prefixText) };
}

/**
 * An IPv4 or IPv6 address as a number; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) counts as IPv4.
 * @param {string} text
 * @returns {{ family: 4 | 6, bits: bigint } | null}
 */
export function parseAddress(text) {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  const family = isIP(value);
  if (family === 4) return { family: 4, bits: ipv4Bits(value) };
  if (family !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped?.[1]) return { family: 4, bits: ipv4Bits(mapped[1]) };
  return { family: 6, bits: ipv6Bits(value) };
}

/** @param {string} value */
function ipv4Bits(value) {
  return value.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** @param {string} value a valid IPv6 address (isIP said so) */
function ipv6Bits(value) {
  let text = value;
  // A trailing dotted quad is the last 32 bits.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1]) {
    const v4 = ipv4Bits(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * @param {Cidr} range
 * @param {{ family: 4 | 6, bits: bigint }} address
 */
function inRange(range, address) {
  if (range.family !== address.family) return false;
  const width = range.family === 4 ? 32n : 128n;
  const shift = width - BigInt(range.prefix);
  return range.bits >> shift === address.bits >> shift;
}

/**
 * @param {TrustProxy} trust
 * @param {string} address
 */
export function isTrustedProxy(trust, address) {
  if (trust.kind === 'none') return false;
  if (trust.kind === 'hops') return true;
  const parsed = parseAddress(address);
  return parsed !== null && trust.ranges.some((range) => inRange(range, parsed));
}

/**
 * @typedef {object} ForwardedInput
 * @property {string} peer            the socket's remote address
 * @property {string | undefined} forwardedFor   X-Forwarded-For as received (all copies joined by ",")
 * @property {string | undefined} forwardedHost
 * @property {string | undefined} forwardedProto
 * @property {string | undefined} host           the Host header
 * @property {boolean} encrypted      whether the socket itself is TLS
 */

/**
 * @typedef {object} Forwarded
 * @property {string} clientAddress   the address of the client as far as trusted hops can tell
 * @property {string} host            the host (and port) the client asked for
 * @property {'http' | 'https'} proto
 * @property {boolean} viaTrustedProxy  the peer is a trusted proxy (so its -Host/-Proto were used)
 */

/**
 * Resolves who the client is. X-Forwarded-For is read from the right: each trusted hop appended
 * the address it saw, and everything left of the first untrusted entry may be forged.
 * @param {ForwardedInput} input
 * @param {TrustProxy} trust
 * @returns {Forwarded}
 */
export function resolveForwarded(input, trust) {
  const peer = normalizeAddress(input.peer) ?? 'unknown';
  const ownProto = input.encrypted ? 'https' : 'http';
  const ownHost = cleanHost(input.host) ?? '';
  if (!isTrustedProxy(trust, peer)) return { clientAddress: peer, host: ownHost, proto: ownProto, viaTrustedProxy: false };

  const hops = (input.forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .slice(-MAX_ENTRIES)
    .reverse();
  let client = peer;
  for (let index = 0; index < hops.length; index++) {
    // `client` is a trusted proxy here: the entry it appended is the next hop towards the client.
    const next = normalizeAddress(hops[index] ?? '');
    if (next === null) break; // garbage where a proxy should have written an address: stop at the last good hop
    client = next;
    const trustedSoFar = trust.kind === 'hops' ? index + 1 < trust.hops : isTrustedProxy(trust, next);
    if (!trustedSoFar) break;
  }
  const forwardedHost = cleanHost(lastEntry(input.forwardedHost));
  const forwardedProto = lastEntry(input.forwardedProto)?.toLowerCase();
  return {
    clientAddress: client,
    host: forwardedHost ?? ownHost,
    proto: forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : ownProto,
    viaTrustedProxy: true,
  };
}

/**
 * The closest proxy's value: proxies that append write `a, b`; the right-most is the trusted one's.
 * @param {string | undefined} value
 */
function lastEntry(value) {
  const last = value?.split(',').at(-1)?.trim();
  return last === undefined || last === '' ? undefined : last;
}

/**
 * A Host header value (`name`, `name:port`, `[v6]:port`), lower-cased, or undefined when it is not one.
 * @param {string | undefined} value
 */
export function cleanHost(value) {
  const text = value?.trim().toLowerCase();
  if (!text || text.length > 255) return undefined;
  if (/^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(text)) return text;
  if (/^[a-z0-9.-]+(:\d{1,5})?$/.test(text)) return text;
  return undefined;
}

/**
 * An address in canonical text (IPv4 dotted, IPv6 as Node prints it), or null when it is not one.
 * IPv4-mapped IPv6 becomes plain IPv4; `[v6]`, zone ids and `v4:port` are accepted.
 * @param {string} text
 */
export function normalizeAddress(text) {
  let value = text.trim();
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d{1,5}$/.exec(value);
  if (v4WithPort?.[1]) value = v4WithPort[1];
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  const parsed = parseAddress(value);
  if (!parsed) return null;
  return parsed.family === 4 ? formatIpv4(parsed.bits) : formatIpv6(parsed.bits, 8);
}

/**
 * The key one client is counted under: an IPv4 address, or an IPv6 address's /64 (one customer
 * usually gets a whole /64, so counting single IPv6 addresses would let one client count as 2^64).
 * @param {string} address
 */
export function addressKey(address) {
  const parsed = parseAddress(address);
  if (!parsed) return 'unknown';
  if (parsed.family === 4) return formatIpv4(parsed.bits);
  return `${formatIpv6(parsed.bits >> 64n, 4)}::/64`;
}

/** @param {bigint} bits */
function formatIpv4(bits) {
  return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
}

/**
 * Groups in hex, leading zeros dropped, no `::` compression (stable, unambiguous keys).
 * @param {bigint} bits
 * @param {number} groups
 */
function formatIpv6(bits, groups) {
  const parts = [];
  for (let index = groups - 1; index >= 0; index--) parts.push(((bits >> BigInt(index * 16)) & 0xffffn).toString(16));
  return parts.join(':');
}
