// The one place the app reads where a request came from: the RTMP server URL the dashboard shows
// and the HLS base the player loads from are built on it (lib/channels/stream-setup.ts, lib/hls-url.ts). A configured PUBLIC_* URL always wins;
// otherwise the URL uses the host (and scheme) the browser used, so a dashboard opened at
// http://192.168.1.20:3000 tells OBS rtmp://192.168.1.20:1935/live.
//
// The host and scheme come from X-Forwarded-Host / X-Forwarded-Proto as scripts/web-server.mjs
// sets them: it replaces whatever a client sent with the Host header and the socket's scheme,
// or, when TRUST_PROXY trusts the peer, with what the proxy forwarded.
import { cleanHost } from './net/trust-proxy.mjs';

type HeaderSource = Pick<Headers, 'get'>;

export interface RequestOrigin {
  protocol: 'http' | 'https';
  /** `name`, `name:port` or `[v6]:port`, lower-case; `localhost` when the request named none. */
  host: string;
  /** `host` without its port (`[v6]` keeps its brackets). */
  hostname: string;
}

export function requestOrigin(headers: HeaderSource): RequestOrigin {
  const forwardedProto = headers.get('x-forwarded-proto')?.trim().toLowerCase();
  const host = cleanHost(headers.get('x-forwarded-host') ?? undefined) ?? cleanHost(headers.get('host') ?? undefined) ?? 'localhost';
  return { protocol: forwardedProto === 'https' ? 'https' : 'http', host, hostname: hostnameOf(host) ?? 'localhost' };
}

/** Hostname of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased, or null when it is not one. */
export function hostnameOf(hostHeader: string): string | null {
  const host = cleanHost(hostHeader);
  if (host === undefined) return null;
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
}
